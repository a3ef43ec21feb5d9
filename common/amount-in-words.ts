/**
 * «Сумма прописью» as printed on invoices: "Одна тысяча двести тридцать четыре рубля 56 копеек".
 * Roubles in words, kopecks in digits (the usual accounting style).
 */

export type Gender = 'masculine' | 'feminine' | 'neuter';

const ONES: Record<Gender, string[]> = {
  masculine: ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
  feminine: ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
  neuter: ['', 'одно', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
};
const TEENS = [
  'десять',
  'одиннадцать',
  'двенадцать',
  'тринадцать',
  'четырнадцать',
  'пятнадцать',
  'шестнадцать',
  'семнадцать',
  'восемнадцать',
  'девятнадцать',
];
const TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];

/** Groups of thousands from 10³ up, with the gender their numeral takes (одна тысяча, один миллион). */
const SCALES: { forms: [string, string, string]; gender: Gender }[] = [
  { forms: ['тысяча', 'тысячи', 'тысяч'], gender: 'feminine' },
  { forms: ['миллион', 'миллиона', 'миллионов'], gender: 'masculine' },
  { forms: ['миллиард', 'миллиарда', 'миллиардов'], gender: 'masculine' },
  { forms: ['триллион', 'триллиона', 'триллионов'], gender: 'masculine' },
  { forms: ['квадриллион', 'квадриллиона', 'квадриллионов'], gender: 'masculine' },
];

/** The form for a count: 1, 21 → one; 2–4, 22 → few; 0, 5–20, 11–14, 111 → many. */
export function pluralRu(n: number | bigint, one: string, few: string, many: string): string {
  const abs = BigInt(n) < 0n ? -BigInt(n) : BigInt(n);
  const mod100 = Number(abs % 100n);
  const mod10 = mod100 % 10;
  if (mod100 >= 11 && mod100 <= 14) return many;
  if (mod10 === 1) return one;
  if (mod10 >= 2 && mod10 <= 4) return few;
  return many;
}

function tripleInWords(n: number, gender: Gender): string[] {
  const words = [HUNDREDS[Math.floor(n / 100)]];
  const rest = n % 100;
  if (rest >= 10 && rest < 20) words.push(TEENS[rest - 10]);
  else words.push(TENS[Math.floor(rest / 10)], ONES[gender][rest % 10]);
  return words.filter(Boolean);
}

/** A whole number in words, lower case: integerInWords(2, 'feminine') → "две"; 0 → "ноль". */
export function integerInWords(n: number | bigint, gender: Gender = 'masculine'): string {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`Not an integer: ${n}`);
  let rest = BigInt(n);
  if (rest === 0n) return 'ноль';
  const negative = rest < 0n;
  if (negative) rest = -rest;

  const triples: number[] = [];
  for (; rest > 0n; rest /= 1000n) triples.push(Number(rest % 1000n));
  if (triples.length > SCALES.length + 1) throw new RangeError(`Number too large: ${n}`);

  const words: string[] = [];
  for (let i = triples.length - 1; i >= 0; i--) {
    const t = triples[i];
    if (t === 0) continue;
    if (i === 0) {
      words.push(...tripleInWords(t, gender));
    } else {
      const scale = SCALES[i - 1];
      words.push(...tripleInWords(t, scale.gender), pluralRu(t, ...scale.forms));
    }
  }
  return (negative ? 'минус ' : '') + words.join(' ');
}

/** Kopecks → "Одна тысяча двести тридцать четыре рубля 56 копеек"; 0 → "Ноль рублей 00 копеек". */
export function amountInWords(kopecks: number): string {
  if (!Number.isSafeInteger(kopecks)) throw new RangeError(`Amount must be an integer number of kopecks: ${kopecks}`);
  const abs = Math.abs(kopecks);
  const rubles = Math.floor(abs / 100);
  const kop = abs % 100;
  const text =
    (kopecks < 0 ? 'минус ' : '') +
    `${integerInWords(rubles)} ${pluralRu(rubles, 'рубль', 'рубля', 'рублей')} ` +
    `${String(kop).padStart(2, '0')} ${pluralRu(kop, 'копейка', 'копейки', 'копеек')}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
