export const reverse = (s) => [...s].reverse().join('');
export const isPalindrome = (s) => s === reverse(s);
export const capitalize = (s) => s.replace(/\b\w/g, (c) => c.toUpperCase());
