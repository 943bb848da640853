export const reverse = (s) => [...s].reverse().join('');
export function isPalindrome(s) {
  const t = s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return t === reverse(t);
}
export const capitalize = (s) => s.replace(/\b\w/g, (c) => c.toUpperCase());
