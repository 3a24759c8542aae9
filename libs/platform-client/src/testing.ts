// `@yb/platform-client/testing`: what tests, the sandbox's contract test and benchmarks use, kept out of the
// library's public index (lint keeps it out of every service's source): one complete, valid request and answer per
// typed interface.
export { INTERFACE_EXAMPLES, type InterfaceExample, type InterfaceRawOutput } from './interfaces/examples';
