import { defineLangCorpusSuite } from './helpers/lang-corpus-suite';

defineLangCorpusSuite('cpp', 8);
