import { AssertionError } from 'node:assert';
import { type Decider } from './decider';
import { DeciderSpecification } from './decider-specification';

type Command = { type: 'Admit'; ipt_no: string } | { type: 'Discharge' };
type Event =
  { type: 'Admitted'; data: { ipt_no: string } } | { type: 'Discharged'; data: Record<string, never> };
class NotAdmittedError extends Error {}

const visit: Decider<Command, Event, { admitted: boolean }> = {
  initialState: () => ({ admitted: false }),
  decide: (command, state) => {
    if (command.type === 'Admit')
      return state.admitted ? [] : [{ type: 'Admitted', data: { ipt_no: command.ipt_no } }];
    if (!state.admitted) throw new NotAdmittedError('discharge before admission');
    return [{ type: 'Discharged', data: {} }];
  },
  evolve: (_state, event) => ({ admitted: event.type === 'Admitted' }),
};
const spec = DeciderSpecification.for(visit);

describe('DeciderSpecification', () => {
  it('passes when the decided events equal the expected ones', () => {
    spec
      .given([])
      .when({ type: 'Admit', ipt_no: 'ZY001' })
      .then([{ type: 'Admitted', data: { ipt_no: 'ZY001' } }]);
    spec
      .given([{ type: 'Admitted', data: { ipt_no: 'ZY001' } }])
      .when({ type: 'Admit', ipt_no: 'ZY001' })
      .then([]);
  });

  it('fails with a diff when they differ', () => {
    expect(() =>
      spec
        .given([])
        .when({ type: 'Admit', ipt_no: 'ZY001' })
        .then([{ type: 'Admitted', data: { ipt_no: 'ZY002' } }]),
    ).toThrow(AssertionError);
  });

  it('checks the error a command is refused with, by class, message or predicate', () => {
    spec.given([]).when({ type: 'Discharge' }).thenThrows(NotAdmittedError);
    spec
      .given([])
      .when({ type: 'Discharge' })
      .thenThrows(/before admission/);
    spec
      .given([])
      .when({ type: 'Discharge' })
      .thenThrows((e) => e instanceof NotAdmittedError);
    expect(() => spec.given([]).when({ type: 'Discharge' }).thenThrows(TypeError)).toThrow(
      /does not match TypeError/,
    );
  });

  it('fails thenThrows when the command is accepted', () => {
    expect(() =>
      spec
        .given([{ type: 'Admitted', data: { ipt_no: 'ZY001' } }])
        .when({ type: 'Discharge' })
        .thenThrows(),
    ).toThrow(/expected to throw but returned \[\{"type":"Discharged"/);
  });
});
