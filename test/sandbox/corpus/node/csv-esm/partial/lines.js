export const splitLines = (text) => text.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
