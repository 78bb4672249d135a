import { stressOneEmbeddedDatabase } from './embedded-stress.ts';

// One start of the embedded stress run, in a process of its own; prints its result as JSON.
const [start = '0', wordStep = '1'] = process.argv.slice(2);
console.log(JSON.stringify(await stressOneEmbeddedDatabase({ start: Number(start), wordStep: Number(wordStep) })));
