export { type DispatchOptions, RETURNING, type Returning } from '../decorators/dispatch-options.js';
