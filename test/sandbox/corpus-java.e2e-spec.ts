import { defineLangCorpusSuite } from './helpers/lang-corpus-suite';

defineLangCorpusSuite('java', 8);
