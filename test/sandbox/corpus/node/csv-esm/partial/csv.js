import { splitLines } from './lines';

export const parseCsv = (text) => splitLines(text).map((line) => line.split(','));
