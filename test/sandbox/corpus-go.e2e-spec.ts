import { defineLangCorpusSuite } from './helpers/lang-corpus-suite';

defineLangCorpusSuite('go', 8);
