import { describe, expect, it } from 'vitest';
import {
  bankDetailsSchema,
  bikSchema,
  companyInnSchema,
  generateCorrAccount,
  generateValidAccount,
  generateValidInn,
  generateValidKpp,
  generateValidOgrn,
  innSchema,
  kppSchema,
  ogrnSchema,
  personInnSchema,
  validateAccount,
  validateBik,
  validateCorrAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateOgrnip,
  validateOgrnOrOgrnip,
} from './requisites.js';

/** Deterministic PRNG (mulberry32) so generator tests are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('validateInn', () => {
  it.each(['7707083893', '6671093163', '7706092528', '500100732259', '662707160737', '667220109459'])('accepts real ИНН %s', (inn) =>
    expect(validateInn(inn)).toBeNull(),
  );

  it('rejects broken checksums', () => {
    expect(validateInn('7707083894')).toBe('Неверная контрольная сумма ИНН');
    expect(validateInn('123123123123')).toBe('Неверная контрольная сумма ИНН');
    expect(validateInn('500100732258')).toBe('Неверная контрольная сумма ИНН');
    // Only the 12th digit is wrong, then only the 11th.
    expect(validateInn('500100732250')).not.toBeNull();
    expect(validateInn('500100732209')).not.toBeNull();
  });

  it('rejects wrong length and non-digits', () => {
    expect(validateInn('')).toBe('ИНН должен состоять из 10 или 12 цифр');
    expect(validateInn('77070838')).toBe('ИНН должен состоять из 10 или 12 цифр');
    expect(validateInn('77070838931')).toBe('ИНН должен состоять из 10 или 12 цифр');
    expect(validateInn('77O7083893')).toBe('ИНН должен состоять только из цифр');
    expect(validateInn(' 7707083893')).toBe('ИНН должен состоять только из цифр');
  });

  it('rejects the all-zero number that passes the checksum', () => {
    expect(validateInn('0000000000')).toBe('Неверный ИНН');
    expect(validateInn('000000000000')).toBe('Неверный ИНН');
  });

  it('checks the length for the kind of owner', () => {
    expect(validateInn('7707083893', 'company')).toBeNull();
    expect(validateInn('500100732259', 'person')).toBeNull();
    expect(validateInn('500100732259', 'company')).toBe('ИНН организации должен состоять из 10 цифр');
    expect(validateInn('7707083893', 'person')).toBe('ИНН физического лица должен состоять из 12 цифр');
  });
});

describe('validateKpp', () => {
  it('accepts digits and capital Latin letters in positions 5–6', () => {
    expect(validateKpp('773601001')).toBeNull();
    expect(validateKpp('7736AB001')).toBeNull();
    expect(validateKpp('77360Z001')).toBeNull();
  });
  it('rejects bad formats', () => {
    expect(validateKpp('77360100')).toBe('КПП должен состоять из 9 символов');
    expect(validateKpp('7736010011')).toBe('КПП должен состоять из 9 символов');
    expect(validateKpp('7736ab001')).toBe('Неверный формат КПП');
    expect(validateKpp('A73601001')).toBe('Неверный формат КПП');
    expect(validateKpp('77360100Z')).toBe('Неверный формат КПП');
    expect(validateKpp('7736АВ001')).toBe('Неверный формат КПП'); // Cyrillic А, В
  });
});

describe('validateOgrn / validateOgrnip', () => {
  it('accepts real numbers', () => {
    expect(validateOgrn('1027700132195')).toBeNull(); // Сбербанк
    expect(validateOgrn('1027700070518')).toBeNull(); // Газпром
    expect(validateOgrnip('304500116000157')).toBeNull();
  });
  it('rejects broken ones', () => {
    expect(validateOgrn('1027700132194')).toBe('Неверная контрольная сумма ОГРН');
    expect(validateOgrn('102770013219')).toBe('ОГРН должен состоять из 13 цифр');
    expect(validateOgrn('0000000000000')).toBe('ОГРН должен начинаться с 1 или 5');
    expect(validateOgrnip('304500116000158')).toBe('Неверная контрольная сумма ОГРНИП');
    expect(validateOgrnip('1027700132195')).toBe('ОГРНИП должен состоять из 15 цифр');
    expect(validateOgrnip('104500116000157')).toBe('ОГРНИП должен начинаться с 3');
  });
  it('tells ОГРН and ОГРНИП apart by length', () => {
    expect(validateOgrnOrOgrnip('1027700132195')).toBeNull();
    expect(validateOgrnOrOgrnip('304500116000157')).toBeNull();
    expect(validateOgrnOrOgrnip('12345')).toBe('ОГРН должен состоять из 13 цифр, ОГРНИП — из 15');
  });
});

describe('validateBik', () => {
  it('accepts bank BIKs', () => {
    expect(validateBik('044525225')).toBeNull();
    expect(validateBik('044525999')).toBeNull();
  });
  it('rejects others', () => {
    expect(validateBik('04452522')).toBe('БИК должен состоять из 9 цифр');
    expect(validateBik('04452522a')).toBe('БИК должен состоять из 9 цифр');
    expect(validateBik('144525225')).toBe('БИК банка должен начинаться с 04');
    expect(validateBik('024501901')).toBe('БИК банка должен начинаться с 04');
  });
});

describe('validateAccount / validateCorrAccount', () => {
  it('accepts real pairs', () => {
    expect(validateAccount('044525999', '40702810801500116391')).toBeNull(); // bank sample (condo)
    expect(validateAccount('044525225', '40702810938000000001')).toBeNull();
    expect(validateAccount('044525593', '40817810009980084396')).toBeNull();
    expect(validateAccount('044525974', '40817810400030269771')).toBeNull();
    expect(validateAccount('044525999', '60322810700500000191')).toBeNull();
    expect(validateAccount('044525360', '40802810012010992796')).toBeNull();
    expect(validateCorrAccount('044525999', '30101810845250000999')).toBeNull();
    expect(validateCorrAccount('044525225', '30101810400000000225')).toBeNull();
    expect(validateCorrAccount('044525593', '30101810200000000593')).toBeNull();
    expect(validateCorrAccount('044525974', '30101810145250000974')).toBeNull();
    expect(validateCorrAccount('044525360', '30101810445250000360')).toBeNull();
  });

  it('uses "0" + BIK digits 5–6 for a Bank of Russia division', () => {
    expect(validateAccount('047888001', '40101810700000010010')).toBeNull();
  });

  it('rejects a wrong key or a wrong bank', () => {
    const keyError = 'Неверный контрольный ключ счёта (проверьте счёт и БИК)';
    expect(validateAccount('044525716', '40702810200000000001')).toBe(keyError); // kilylabs sample
    expect(validateAccount('044525225', '40702810801500116391')).toBe(keyError);
    expect(validateAccount('044525999', '40702810801500116392')).toBe(keyError);
    expect(validateCorrAccount('044525999', '30101810945250000999')).toBe('Неверный контрольный ключ корр. счёта');
  });

  it('checks the shape first', () => {
    expect(validateAccount('044525999', '4070281080150011639')).toBe('Счёт должен состоять из 20 цифр');
    expect(validateAccount('04452599', '40702810801500116391')).toBe('Сначала укажите верный БИК');
    expect(validateCorrAccount('044525999', '30102810845250000999')).toBe('Корр. счёт должен начинаться с 30101');
    expect(validateCorrAccount('044525999', '30101810845250000998')).toBe('Корр. счёт должен оканчиваться на три последние цифры БИК');
    expect(validateCorrAccount('044525999', '3010181084525000099')).toBe('Корр. счёт должен состоять из 20 цифр');
  });

  it('reads a letter in position 6 as a digit (clearing currency)', () => {
    // A B C E H K M P T X stand for 0..9: the digit "8" in position 6 of a valid account becomes T.
    expect(validateAccount('044525999', '40702T10801500116391')).toBeNull();
    expect(validateAccount('044525999', '40702Т10801500116391')).toBeNull(); // Cyrillic Т
    expect(validateAccount('044525999', '40702A10801500116391')).not.toBeNull();
    expect(validateAccount('044525999', '4070281080150011639Z')).toBe('Счёт должен состоять из 20 цифр');
  });
});

describe('zod schemas', () => {
  it('pass valid values through, trimmed', () => {
    expect(innSchema.parse(' 7707083893 ')).toBe('7707083893');
    expect(kppSchema.parse('7736ab001')).toBe('7736AB001');
    expect(ogrnSchema.parse('1027700132195')).toBe('1027700132195');
    expect(ogrnSchema.parse('304500116000157')).toBe('304500116000157');
    expect(bikSchema.parse('044525225')).toBe('044525225');
    expect(companyInnSchema.safeParse('7707083893').success).toBe(true);
    expect(personInnSchema.safeParse('7707083893').success).toBe(false);
  });

  it('report the validator message', () => {
    const r = innSchema.safeParse('7707083894');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe('Неверная контрольная сумма ИНН');
    expect(ogrnSchema.safeParse('1027700132194').error?.issues[0].message).toBe('Неверная контрольная сумма ОГРН');
    expect(kppSchema.safeParse('7736').error?.issues[0].message).toBe('КПП должен состоять из 9 символов');
  });

  it('bankDetailsSchema keys accounts against the BIK, issues on their own paths', () => {
    expect(bankDetailsSchema.parse({ bik: '044525999', account: '40702810801500116391', corrAccount: '30101810845250000999' })).toEqual({
      bik: '044525999',
      account: '40702810801500116391',
      corrAccount: '30101810845250000999',
    });
    expect(bankDetailsSchema.safeParse({ bik: '044525999', account: '40702810801500116391' }).success).toBe(true);

    const bad = bankDetailsSchema.safeParse({
      bik: '044525225',
      account: '40702810801500116391',
      corrAccount: '30101810845250000999',
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['account', 'corrAccount']);
  });
});

describe('generators', () => {
  it('produce valid ИНН of both kinds', () => {
    const rand = seeded(1);
    for (let i = 0; i < 500; i++) {
      const company = generateValidInn(rand, 'company');
      const person = generateValidInn(rand, 'person');
      expect(company).toMatch(/^\d{10}$/);
      expect(person).toMatch(/^\d{12}$/);
      expect(validateInn(company, 'company')).toBeNull();
      expect(validateInn(person, 'person')).toBeNull();
    }
  });

  it('produce valid ОГРН and ОГРНИП', () => {
    const rand = seeded(2);
    for (let i = 0; i < 500; i++) {
      expect(validateOgrn(generateValidOgrn(rand))).toBeNull();
      expect(validateOgrnip(generateValidOgrn(rand, 'person'))).toBeNull();
    }
  });

  it('produce a КПП matching the ИНН tax office', () => {
    const kpp = generateValidKpp(seeded(3), '7707083893');
    expect(kpp).toBe('770701001');
    expect(validateKpp(generateValidKpp(seeded(4)))).toBeNull();
  });

  it('produce accounts that pass the key check', () => {
    const rand = seeded(5);
    for (const bik of ['044525225', '044525999', '044030653', '047888001']) {
      for (let i = 0; i < 100; i++) expect(validateAccount(bik, generateValidAccount(rand, bik))).toBeNull();
    }
    expect(generateValidAccount(rand, '044525225', '40802')).toMatch(/^40802810/);
    expect(generateCorrAccount('044525225')).toBe('30101810400000000225');
    expect(validateCorrAccount('044525999', generateCorrAccount('044525999'))).toBeNull();
  });

  it('are deterministic for the same random source', () => {
    expect(generateValidInn(seeded(9), 'company')).toBe(generateValidInn(seeded(9), 'company'));
  });

  it('tolerate a random source that returns values close to 1', () => {
    const inn = generateValidInn(() => 0.9999999999, 'person');
    expect(validateInn(inn)).toBeNull();
  });
});
