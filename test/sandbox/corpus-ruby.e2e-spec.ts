import { defineLangCorpusSuite } from './helpers/lang-corpus-suite';

defineLangCorpusSuite('ruby', 8);
