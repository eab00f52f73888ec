export * from './fix.js';
export * from './codes.js';
export * from './token.js';
export * from './messages.js';
