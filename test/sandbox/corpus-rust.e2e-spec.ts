import { defineLangCorpusSuite } from './helpers/lang-corpus-suite';

defineLangCorpusSuite('rust', 8);
