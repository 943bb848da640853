import { defineCorpusSuite } from './helpers/corpus-suite';

defineCorpusSuite('node');
