/** Injection token of the simulator's PlatformSimOptions. */
export const SIM_OPTIONS = Symbol('PLATFORM_SIM_OPTIONS');
