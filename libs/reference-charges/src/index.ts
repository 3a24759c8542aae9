export * from './reference-charges';
