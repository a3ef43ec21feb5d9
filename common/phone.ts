/**
 * Phone numbers: stored as E.164 (+79123456789), shown as "+7 912 345-67-89", searched by digits.
 * The "max" metadata validates number ranges, not only lengths: with the default "min" metadata
 * a mistyped "8912345678" (one digit short) would pass as +7 891 234-56-78.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * E.164 form of a phone typed in any usual way ("8 (912) 345-67-89", "+7 912 345 67 89", "79123456789"),
 * or null when it is not a valid number. An extension ("доб. 12") is dropped.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'RU'): string | null {
  if (!input || !/\d/.test(input)) return null;
  const phone = parsePhoneNumberFromString(input, defaultCountry);
  return phone && phone.isValid() ? phone.number : null;
}

/** "+7 912 345-67-89" for numbers of the +7 zone (Russia, Kazakhstan), international format for others. */
export function formatPhoneRu(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  const n = phone.nationalNumber;
  if (phone.countryCallingCode === '7' && n.length === 10) {
    return `+7 ${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`;
  }
  return phone.formatInternational();
}

/** Digits only, for search; an 11-digit Russian number written with a leading 8 gets 7 instead. */
export function phoneDigits(input: string): string {
  const digits = input.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('8') ? '7' + digits.slice(1) : digits;
}
