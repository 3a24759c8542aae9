import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { findInterface } from '@yb/platform-client';
import { SimBooks } from './books/sim-books';
import { FileCatalogues } from './catalogue/catalogue-files';
import { CatalogueDesk } from './catalogue/catalogue-desk';
import { GeneratedCatalogue } from './catalogue/generated-catalogue';
import { AdminController } from './http/admin.controller';
import { PlatformController } from './http/platform.controller';
import { FaultPlan } from './faults/fault-plan';
import { SimLedger } from './ledger/sim-ledger';
import { PlatformExchange } from './platform/platform-exchange';
import type { PlatformSimOptions } from './sim-config';
import { SIM_OPTIONS } from './sim-tokens';

/** Closes the books last: every recorded decision written, then the log's session (and its lock) ended. */
@Injectable()
class BooksShutdown implements OnApplicationShutdown {
  constructor(@Inject(SimBooks) private readonly books: SimBooks) {}

  async onApplicationShutdown(): Promise<void> {
    await this.books.close();
  }
}

@Module({})
export class SimModule {
  static forOptions(options: PlatformSimOptions): DynamicModule {
    return {
      module: SimModule,
      controllers: [PlatformController, AdminController],
      providers: [
        { provide: SIM_OPTIONS, useValue: options },
        { provide: GeneratedCatalogue, useFactory: () => new GeneratedCatalogue(options.catalogue) },
        { provide: FileCatalogues, useFactory: () => new FileCatalogues(options.fileCatalogues) },
        {
          provide: SimLedger,
          inject: [GeneratedCatalogue],
          useFactory: (catalogue: GeneratedCatalogue) =>
            new SimLedger({
              catalogueItem: (code) => catalogue.medListItem(code),
              refuseCodesOutsideCatalogue: options.refuseCodesOutsideCatalogue,
              requireSignIn: options.requireSignIn,
              enrolUnknownPersons: options.enrolUnknownPersons,
              hospitalBearsOverlimit: options.hospitalBearsOverlimit,
              isReversible: (infno) => findInterface(infno)?.reversibleBy2601 === true,
            }),
        },
        {
          // The ledger as the installation's log left it (replayed), journaling to it from then on.
          provide: SimBooks,
          useFactory: (ledger: SimLedger) => SimBooks.open(ledger, options.books),
          inject: [SimLedger],
        },
        BooksShutdown,
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
          useFactory: (ledger: SimLedger, catalogue: GeneratedCatalogue, files: FileCatalogues) =>
            new PlatformExchange(options, ledger, new CatalogueDesk(catalogue, options.admdvs, files)),
          inject: [SimLedger, GeneratedCatalogue, FileCatalogues],
        },
      ],
    };
  }
}
