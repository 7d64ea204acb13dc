// Loads resolve.mjs as a module resolution hook: node --import ./register.mjs
import { register } from 'node:module';

register('./resolve.mjs', import.meta.url);
