import fc from 'fast-check';
import { findFocusExcerpt, isNotable, isTestPath, namingConvention, NOTABLE_SCORE, SubmissionFile } from './focus-excerpt';
import { extractBlocks } from './focus-scan';

const JS_CART = `'use strict';
const TAX_RATE = 0.2;

// Sum of price times quantity.
function calculateSubtotal(items) {
  let subtotal = 0;
  for (const item of items) {
    subtotal += item.price * item.quantity;
  }
  return subtotal;
}

const applyDiscount = (amount, discountCode) => {
  if (discountCode === 'SAVE10') {
    return amount * 0.9;
  }
  return amount;
};

function formatPrice(value) {
  const rounded = Math.round(value * 100) / 100;
  const label = 'GBP';
  return \`\${label} \${rounded.toFixed(2)}\`;
}

class Cart {
  constructor(ownerName) {
    this.ownerName = ownerName;
    this.items = [];
  }

  addItem(newItem) {
    const existing = this.items.find((entry) => entry.sku === newItem.sku);
    if (existing) {
      existing.quantity += newItem.quantity;
    } else {
      this.items.push({ ...newItem, addedBy: 'cart' });
    }
  }

  totalWithTax() {
    const subtotal = calculateSubtotal(this.items);
    return subtotal * (1 + TAX_RATE);
  }
}
`;

const JS_PASTED = `function deep_clone_object(source_obj) {
    if (source_obj == null || typeof source_obj != "object") return source_obj;
    var copy_obj = source_obj.constructor();
    for (var attr_name in source_obj) {
        if (source_obj.hasOwnProperty(attr_name)) copy_obj[attr_name] = source_obj[attr_name];
    }
    return copy_obj;
}
`;

const JS_TAIL = `
const isEmpty = (cart) => {
  const count = cart.items.length;
  return count === 0;
};

module.exports = { Cart, applyDiscount, formatPrice, isEmpty };
`;

const PY_INVENTORY = `"""Inventory helpers."""
from dataclasses import dataclass


@dataclass
class Item:
    sku: str
    quantity: int


def total_quantity(items: list[Item]) -> int:
    """Sum all quantities."""
    total = 0
    for item in items:
        total += item.quantity
    return total


def find_item(items: list[Item], wanted_sku: str) -> Item | None:
    for item in items:
        if item.sku == wanted_sku:
            return item
    return None


class Warehouse:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stock_items: list[Item] = []

    def add_item(self, new_item: Item) -> None:
        existing = find_item(self.stock_items, new_item.sku)
        if existing is not None:
            existing.quantity += new_item.quantity
        else:
            self.stock_items.append(new_item)

    def describe(self) -> str:
        item_count = total_quantity(self.stock_items)
        return f"{self.name}: {item_count} items"
`;

const PY_PASTED = `

def parseCsvLine(rawLine, sepChar=','):
  resultFields = []
  currentField = ''
  inQuotes = False
  for ch in rawLine:
    if ch == '"':
      inQuotes = not inQuotes
    elif ch == sepChar and not inQuotes:
      resultFields.append(currentField)
      currentField = ''
    else:
      currentField += ch
  resultFields.append(currentField)
  print('parsed %d fields' % len(resultFields))
  return resultFields
`;

describe('block extraction', () => {
  it('finds function declarations, const arrows and class methods, keeping nested functions inside', () => {
    const blocks = extractBlocks('cart.js', JS_CART + JS_PASTED + JS_TAIL);
    expect(blocks.map((b) => b.name)).toEqual([
      'calculateSubtotal',
      'applyDiscount',
      'formatPrice',
      'Cart.constructor',
      'Cart.addItem',
      'Cart.totalWithTax',
      'deep_clone_object',
      'isEmpty',
    ]);
    const add = blocks.find((b) => b.name === 'Cart.addItem')!;
    expect([add.startLine, add.endLine]).toEqual([32, 39]);
    expect(add.declared).toEqual(expect.arrayContaining(['addItem', 'newItem', 'existing']));
  });

  it('handles TypeScript signatures, generics, expression-bodied arrows and braces inside strings, regexes and templates', () => {
    const ts = `export interface Box<T> { value: T }
export async function loadAll<T>(ids: string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  const braces = '{{{';
  const re = /[{}]+/g;
  const t = \`\${ids.length} {\`;
  return Promise.all(ids.map((id) => fetchOne(id)));
}
export const double = (n: number): number =>
  n * 2;
export class Store {
  private readonly items = new Map<string, number>();
  public get(key: string): number | undefined {
    return this.items.get(key);
  }
  handle = async (event: { key: string }) => {
    this.items.delete(event.key);
  };
  if (x) {}
}
`;
    const blocks = extractBlocks('store.ts', ts);
    expect(blocks.map((b) => [b.name, b.startLine, b.endLine])).toEqual([
      ['loadAll', 2, 7],
      ['double', 8, 9],
      ['Store.get', 12, 14],
      ['Store.handle', 15, 17],
    ]);
  });

  it('splits Python by def indentation, with methods, decorators and docstrings', () => {
    const blocks = extractBlocks('inventory.py', PY_INVENTORY + PY_PASTED);
    expect(blocks.map((b) => [b.name, b.startLine, b.endLine])).toEqual([
      ['total_quantity', 11, 16],
      ['find_item', 19, 23],
      ['Warehouse.__init__', 27, 29],
      ['Warehouse.add_item', 31, 36],
      ['Warehouse.describe', 38, 40],
      ['parseCsvLine', 43, 57],
    ]);
    const py = `def outer(a,
          b):
    """Doc
with a line at column 0
"""
    def inner():
        return 1
    return inner() + a + b
# trailing comment

@decorator
def second():
    pass
`;
    expect(extractBlocks('x.py', py).map((b) => [b.name, b.startLine, b.endLine])).toEqual([
      ['outer', 1, 8],
      ['second', 11, 13],
    ]);
  });
});

describe('focus excerpt', () => {
  it('JavaScript: names the function pasted in another style, with plain-words reasons', () => {
    const files: SubmissionFile[] = [{ path: 'src/cart.js', content: JS_CART + JS_PASTED + JS_TAIL }];
    const focus = findFocusExcerpt(files)!;
    expect(focus).toMatchObject({ file: 'src/cart.js', name: 'deep_clone_object', startLine: 46, endLine: 53 });
    expect(isNotable(focus)).toBe(true);
    expect(focus.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^uses snake_case names \(.*\) while the rest of the submission uses camelCase$/),
        'indents with 4 spaces while the rest uses 2',
        'writes strings with double quotes while the rest uses single quotes',
        'declares variables with var while the rest uses let/const',
        'compares with == and != while the rest uses === and !==',
      ]),
    );
    for (const r of focus.reasons) expect(r).not.toMatch(/cheat|plagiar|copied|not written/i);
  });

  it('JavaScript: a subtler paste (same naming, other indentation, quotes and semicolons) across files', () => {
    const subtle = `function mergeOptions(baseOptions, overrides) {
    const merged = Object.assign({}, baseOptions)
    for (const optionKey of Object.keys(overrides)) {
        if (overrides[optionKey] !== undefined) merged[optionKey] = overrides[optionKey]
    }
    return merged
}
`;
    const files: SubmissionFile[] = [
      { path: 'src/cart.js', content: JS_CART + JS_TAIL },
      { path: 'src/options.js', content: subtle },
      { path: 'README.md', content: '# notes\n' },
    ];
    const focus = findFocusExcerpt(files)!;
    expect(focus).toMatchObject({ file: 'src/options.js', name: 'mergeOptions', startLine: 1, endLine: 7 });
    expect(isNotable(focus)).toBe(true);
    expect(focus.reasons).toEqual(expect.arrayContaining(['indents with 4 spaces while the rest uses 2']));
    expect(focus.reasons.some((r) => r.startsWith('leaves out semicolons'))).toBe(true);
  });

  it('Python: names the function pasted in another style', () => {
    const focus = findFocusExcerpt([{ path: 'inventory.py', content: PY_INVENTORY + PY_PASTED }])!;
    expect(focus).toMatchObject({ file: 'inventory.py', name: 'parseCsvLine', startLine: 43, endLine: 57, language: 'python' });
    expect(isNotable(focus)).toBe(true);
    expect(focus.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^uses camelCase names \(parseCsvLine, rawLine\) while the rest of the submission uses snake_case$/),
        'indents with 2 spaces while the rest uses 4',
        'has no type annotations on its parameters (0%) while the rest annotates them (100%)',
      ]),
    );
  });

  it('a uniform submission gives a low score', () => {
    const js = findFocusExcerpt([{ path: 'src/cart.js', content: JS_CART + JS_TAIL }])!;
    expect(js).not.toBeNull();
    expect(js.score).toBeLessThan(NOTABLE_SCORE);
    expect(isNotable(js)).toBe(false);
    const py = findFocusExcerpt([{ path: 'inventory.py', content: PY_INVENTORY }])!;
    expect(py.score).toBeLessThan(NOTABLE_SCORE);
    expect(isNotable(py)).toBe(false);
    expect(py.reasons.length).toBeGreaterThan(0);
  });

  it('returns null with fewer than 3 blocks, and ignores files it cannot read', () => {
    expect(findFocusExcerpt([{ path: 'a.js', content: 'function a(x) {\n  return x;\n}\nfunction b(y) {\n  return y;\n}\n' }])).toBeNull();
    expect(
      findFocusExcerpt([
        { path: 'data.json', content: '{}' },
        { path: 'node_modules/x/index.js', content: JS_CART },
      ]),
    ).toBeNull();
    expect(isNotable(null)).toBe(false);
  });

  it('leaves out test files (unless asked) and untouched starter code', () => {
    const files: SubmissionFile[] = [
      { path: 'src/cart.js', content: JS_CART + JS_TAIL },
      { path: 'src/clone.js', content: JS_PASTED },
      { path: 'test/cart.test.js', content: JS_PASTED.replace('deep_clone_object', 'test_clone') },
    ];
    // the pasted-style function is starter code: nothing stands out any more
    const withStarter = findFocusExcerpt(files, { starter: [{ path: 'src/clone.js', content: JS_PASTED }] })!;
    expect(withStarter.name).not.toBe('deep_clone_object');
    expect(isNotable(withStarter)).toBe(false);
    expect(findFocusExcerpt(files)!.name).toBe('deep_clone_object');
    expect(findFocusExcerpt(files.slice(0, 1).concat(files.slice(2)))!.name).not.toBe('test_clone');
    expect(findFocusExcerpt(files.slice(0, 1).concat(files.slice(2)), { includeTests: true })!.name).toBe('test_clone');
    expect(['tests/test_x.py', 'src/a.spec.ts', 'x_test.py', 'lib/__tests__/a.js', 'conftest.py'].every(isTestPath)).toBe(true);
    expect(['src/testing_utils.py', 'src/contest.js', 'latest/a.js'].some(isTestPath)).toBe(false);
  });

  it('is deterministic, breaking ties by file order then line', () => {
    const same = 'function fa(a) {\n  return a;\n}\nfunction fb(b) {\n  return b;\n}\nfunction fc(c) {\n  return c;\n}\n';
    const a = findFocusExcerpt([{ path: 'x.js', content: same }]);
    const b = findFocusExcerpt([{ path: 'x.js', content: same }]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ name: 'fa', startLine: 1, score: 0 });
    const files = [{ path: 'src/cart.js', content: JS_CART + JS_PASTED + JS_TAIL }];
    expect(findFocusExcerpt(files)).toEqual(findFocusExcerpt(files.map((f) => ({ ...f }))));
  });

  it('classifies naming conventions', () => {
    expect(
      ['totalPrice', 'total_price', 'TotalPrice', 'MAX_SIZE', 'total', '_privateThing', 'x1', 'HTTPServer'].map(namingConvention),
    ).toEqual(['camelCase', 'snake_case', 'PascalCase', 'UPPER_CASE', 'lowercase', 'camelCase', 'lowercase', 'other']);
  });
});

describe('scanner robustness', () => {
  it('is not fooled by braces, quotes and keywords inside comments, strings and regexes', () => {
    const js = `// function fake() {
/* const alsoFake = () => { */
function realOne(text) {
  const re = /["'{]+\\/}/g; // a { in a comment
  const ratio = text.length / 2 / 3;
  return text.replace(re, '}') + "{" + ratio;
}
const realTwo = (a) => {
  return \`\${a.map((x) => \`{\${x}}\`).join(', ')}\`;
};
`;
    expect(extractBlocks('x.js', js).map((b) => [b.name, b.startLine, b.endLine])).toEqual([
      ['realOne', 3, 7],
      ['realTwo', 8, 10],
    ]);
    const py = `def one():
    s = "def two(): # not code"
    t = '''
def three():
'''
    return s + t  # def four():

def five():
    return '#'
`;
    expect(extractBlocks('x.py', py).map((b) => [b.name, b.startLine, b.endLine])).toEqual([
      ['one', 1, 6],
      ['five', 8, 9],
    ]);
  });

  it('never throws and returns ordered, non-overlapping, in-range blocks for arbitrary input', () => {
    const fragments = [
      'function f(a) {',
      '}',
      'const g = (x) => {',
      '  return x;',
      'class C {',
      '  m() {',
      "'",
      '"',
      '`',
      '${',
      '/*',
      '*/',
      '//',
      '/re{/',
      'def h(x):',
      '    return x',
      '  pass',
      '"""',
      '#',
      '(',
      ')',
      '\t',
      '',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 40 }), fc.constantFrom('a.js', 'a.ts', 'a.py'), (parts, path) => {
        const content = parts.join('\n');
        const lines = content.split('\n').length;
        const blocks = extractBlocks(path, content);
        let last = 0;
        for (const b of blocks) {
          expect(b.startLine).toBeGreaterThan(last);
          expect(b.endLine).toBeGreaterThanOrEqual(b.startLine);
          expect(b.endLine).toBeLessThanOrEqual(lines);
          last = b.endLine;
        }
        expect(() => findFocusExcerpt([{ path, content }])).not.toThrow();
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
