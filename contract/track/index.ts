export * from './analyze.js';
export * from './figures.js';
export * from './sample.js';
export * from './segments.js';
export * from './settings.js';
export * from './stops.js';
export { stepM } from './distance.js';
