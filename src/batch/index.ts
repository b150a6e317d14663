/** Lab batch mode: many cards, many activation codes, one report (no DOM, no Node APIs). */
export * from './csv.ts';
export * from './plan.ts';
export * from './report.ts';
export * from './runner.ts';
