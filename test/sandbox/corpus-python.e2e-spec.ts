import { defineCorpusSuite } from './helpers/corpus-suite';

defineCorpusSuite('python');
