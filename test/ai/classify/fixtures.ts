/** Small deterministic training sets for the unit tests. */
import type { TrainingExample } from '../../../src/ai/classify/index.ts';

const prefixes = ['', 'hi, ', 'hello ', 'please ', 'quick question: '];
const suffixes = ['', '?', ' thanks', ' please', '!!'];

const intents: Record<string, string[]> = {
  order_status: [
    'where is my order',
    'has my parcel shipped yet',
    'track my package 12345',
    'when will my delivery arrive',
    'my order has not arrived',
    'what is the status of order 998',
  ],
  refund: [
    'i want my money back',
    'please refund order 4411',
    'how do i get a refund',
    'the item is broken, i want a refund',
    'can i return this for a refund',
    'refund my payment',
  ],
  opening_hours: [
    'when are you open',
    'what time do you close on sunday',
    'are you open on saturday',
    'opening hours today',
    'what are your hours',
    'until what time are you open tonight',
  ],
};

/** Three intents, 6 phrasings × 5 prefixes × 5 suffixes = 150 examples each. */
export function intentExamples(): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const [label, phrases] of Object.entries(intents)) {
    for (const phrase of phrases) {
      for (const prefix of prefixes) for (const suffix of suffixes) examples.push({ text: `${prefix}${phrase}${suffix}`, label });
    }
  }
  return examples;
}

const offTopic = [
  'tell me a joke',
  'what is the capital of france',
  'who won the football match',
  'play some music',
  'how tall is mount everest',
  'translate hello into german',
  'what is the meaning of life',
  'set an alarm for 7',
];

/** The intents plus an `oos` ("none of the above") class. */
export function intentExamplesWithOutOfScope(): TrainingExample[] {
  const examples = intentExamples();
  for (const phrase of offTopic) for (const prefix of prefixes) examples.push({ text: `${prefix}${phrase}`, label: 'oos' });
  return examples;
}
