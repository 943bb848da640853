import { reverse, isPalindrome, capitalize } from './strings.js';

test('reverses', () => expect(reverse('abc')).toBe('cba'));
test('palindrome', () => expect(isPalindrome('racecar')).toBe(true));
test('not a palindrome', () => expect(isPalindrome('jest')).toBe(false));
test('palindrome ignores case and spaces', () => expect(isPalindrome('Never odd or even')).toBe(true));
test('capitalizes words', () => expect(capitalize('hello big world')).toBe('Hello Big World'));
