/** The login use case both views call: plan it, run it, save it, explain a failure. */
export * from './defaults.js';
export { explainFailure } from './explain.js';
export * from './fields.js';
export { type ClientLookup, clientLookup } from './lookup-client.js';
export * from './plan.js';
export { type RunLoginDeps, runLogin } from './run.js';
export { saveLogin } from './save.js';
