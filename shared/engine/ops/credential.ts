// Initial credential generation (pure given a random source). The value goes to Graph and the vault only.
import type { CredentialMethod } from '../plan/model';
import type { RandomSource } from '../ports';

const CLASSES = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
  symbol: '!#$%&*+-=?@^_~',
} as const;

// Short, common words for passphrases (no offensive or confusable words).
const WORDS = [
  'apple',
  'river',
  'stone',
  'cloud',
  'tiger',
  'maple',
  'ocean',
  'piano',
  'lemon',
  'cedar',
  'comet',
  'delta',
  'ember',
  'frost',
  'grape',
  'harbor',
  'island',
  'jungle',
  'kettle',
  'lantern',
  'meadow',
  'nectar',
  'orbit',
  'pepper',
  'quartz',
  'rocket',
  'saddle',
  'timber',
  'violet',
  'willow',
  'yellow',
  'zephyr',
  'badger',
  'canyon',
  'dolphin',
  'falcon',
  'glacier',
  'hazel',
  'iris',
  'jasper',
  'koala',
  'lotus',
  'mango',
  'nutmeg',
  'otter',
  'pebble',
  'raven',
  'sierra',
  'tulip',
  'walnut',
];

function pick(chars: string, random: RandomSource): string {
  return chars[random.int(chars.length)];
}

/** A password of the flow's length with at least one character of each class (Entra complexity). */
export function generatePassword(method: CredentialMethod, random: RandomSource): string {
  if (method.kind === 'passphrase') {
    const words = Array.from({ length: Math.max(3, method.words) }, () => WORDS[random.int(WORDS.length)]);
    return `${words.join('-')}-${random.int(90) + 10}`;
  }
  if (method.kind === 'temporaryAccessPass') {
    // The account still needs a password nobody knows; the TAP is the credential handed over.
    return generatePassword(
      { kind: 'password', length: 32, classes: ['lower', 'upper', 'digit', 'symbol'] },
      random,
    );
  }
  const classes = method.classes.length > 0 ? method.classes : (['lower', 'upper', 'digit'] as const);
  const length = Math.max(method.length, classes.length, 8);
  const chars = classes.map((c) => pick(CLASSES[c], random));
  const all = classes.map((c) => CLASSES[c]).join('');
  while (chars.length < length) chars.push(pick(all, random));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
