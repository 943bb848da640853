export function reverse() {
  throw new Error('not implemented');
}
export function isPalindrome() {
  throw new Error('not implemented');
}
export function capitalize() {
  throw new Error('not implemented');
}
