import { Module, type DynamicModule } from '@nestjs/common';
import { findInterface } from '@yb/platform-client';
import { AdminController } from './http/admin.controller';
import { PlatformController } from './http/platform.controller';
import { FaultPlan } from './faults/fault-plan';
import { SimLedger } from './ledger/sim-ledger';
import { PlatformExchange } from './platform/platform-exchange';
import type { PlatformSimOptions } from './sim-config';
import { SIM_OPTIONS } from './sim-tokens';

@Module({})
export class SimModule {
  static forOptions(options: PlatformSimOptions): DynamicModule {
    return {
      module: SimModule,
      controllers: [PlatformController, AdminController],
      providers: [
        { provide: SIM_OPTIONS, useValue: options },
        {
          provide: SimLedger,
          useFactory: () =>
            new SimLedger({
              requireSignIn: options.requireSignIn,
              enrolUnknownPersons: options.enrolUnknownPersons,
              isReversible: (infno) => findInterface(infno)?.reversibleBy2601 === true,
            }),
        },
        {
          provide: FaultPlan,
          useFactory: () => {
            const plan = new FaultPlan();
            options.faults.forEach((f) => plan.arm(f));
            return plan;
          },
        },
        {
          provide: PlatformExchange,
          useFactory: (ledger: SimLedger) => new PlatformExchange(options, ledger),
          inject: [SimLedger],
        },
      ],
    };
  }
}
