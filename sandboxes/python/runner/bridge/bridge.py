"""The bridge between the grader (pytest, uid 10002, the hidden tests) and the candidate's code
(the harness, uid 10001): synchronous request/response over two FIFOs, both sides running this
file (see sandboxes/README.md, "Threat model").

Values cross by copy when their type is exactly a builtin one (None, bool, int, float, str,
bytes, list, tuple, dict, set, frozenset); everything else (functions, classes, instances,
modules, iterators) crosses as a reference: the other side gets a proxy whose attribute access,
calls and operators (==, <, len, iter, next, [], in, str, repr, hash...) go back over the FIFOs.
Exceptions cross as exceptions: a builtin type stays itself, a class of the submission becomes a
proxy class deriving from its nearest builtin base (so pytest.raises(ValueError) and
pytest.raises(InsufficientFunds) both work). Calls nest both ways (a callback of the test called
by the candidate's code runs in the grader while the call waits).

The grader trusts nothing it reads: messages are JSON with tagged values, and the candidate may
only call what the tests handed it and use its operators, never read its attributes (a
function's __globals__ would be the test module).
"""
import base64
import builtins
import importlib
import importlib.util
import json
import math
import operator
import os
import sys
import types

MAX_MESSAGE = 64 * 1024 * 1024
EXC_BUILTINS = {
    n for n in dir(builtins) if isinstance(getattr(builtins, n), type) and issubclass(getattr(builtins, n), BaseException)
}
NOT_PASSED_ON = (SystemExit, KeyboardInterrupt, GeneratorExit)


class BridgeClosed(RuntimeError):
    def __init__(self):
        super().__init__('the code under test ended its process (the bridge to it is closed)')


class Channel:
    def __init__(self, rfd, wfd):
        self.rfd, self.wfd = rfd, wfd
        self.buf = b''
        self.closed = False

    def send(self, obj):
        if self.closed:
            raise BridgeClosed()
        data = (json.dumps(obj, allow_nan=False, separators=(',', ':')) + '\n').encode()
        view = memoryview(data)
        try:
            while view:
                n = os.write(self.wfd, view)
                view = view[n:]
        except OSError:
            self.closed = True
            raise BridgeClosed() from None

    def recv(self):
        while True:
            nl = self.buf.find(b'\n')
            if nl >= 0:
                line, self.buf = self.buf[:nl], self.buf[nl + 1:]
                return json.loads(line)
            if self.closed:
                raise BridgeClosed()
            try:
                chunk = os.read(self.rfd, 262144)
            except OSError:
                chunk = b''
            if not chunk:
                self.closed = True
                raise BridgeClosed()
            self.buf += chunk
            if len(self.buf) > MAX_MESSAGE:
                self.closed = True
                raise RuntimeError('bridge: a message from the other side is too large')


def _builtin_base(cls):
    for c in getattr(cls, '__mro__', ()):
        if c.__module__ == 'builtins' and c.__name__ in EXC_BUILTINS:
            return c.__name__
    return 'Exception'


OPS = {
    'eq': operator.eq, 'ne': operator.ne, 'lt': operator.lt, 'le': operator.le, 'gt': operator.gt, 'ge': operator.ge,
    'add': operator.add, 'sub': operator.sub, 'mul': operator.mul, 'truediv': operator.truediv,
    'floordiv': operator.floordiv, 'mod': operator.mod, 'neg': operator.neg, 'abs': abs,
    'len': len, 'iter': iter, 'next': next, 'str': str, 'repr': repr, 'bool': bool, 'hash': hash,
    'int': int, 'float': float, 'index': operator.index,
    'getitem': operator.getitem, 'setitem': operator.setitem, 'delitem': operator.delitem, 'contains': operator.contains,
    'enter': lambda o: o.__enter__(), 'exit': lambda o, *a: o.__exit__(*a),
}
# What the candidate may do with the grader's objects (callbacks, iterables the test passed).
GRADER_OPS = {'eq', 'ne', 'len', 'iter', 'next', 'str', 'repr', 'bool', 'hash', 'getitem', 'contains'}


class Peer:
    def __init__(self, channel, role, ops=None):
        self.ch = channel
        self.role = role
        self.ops = ops or {}
        self.seq = 0
        self.next_id = 0
        self.exported = {}
        self.export_ids = {}
        self.imported = {}

    # ---- values -> wire
    def export(self, v):
        key = id(v)
        i = self.export_ids.get(key)
        if i is None or self.exported.get(i) is not v:
            self.next_id += 1
            i = self.next_id
            self.export_ids[key] = i
            self.exported[i] = v
        return i

    def encode(self, v, depth=0):
        if depth > 200:
            raise ValueError('bridge: value nested too deeply')
        t = type(v)
        if v is None or t is bool or t is str:
            return v
        if t is int:
            return v if -(2 ** 53) < v < 2 ** 53 else {'$': 'i', 'v': str(v)}
        if t is float:
            return {'$': 'f', 'v': v if math.isfinite(v) else repr(v)}
        if isinstance(v, _Remote) and getattr(v, '_bridge_peer', None) is self:
            return {'$': 'l', 'id': object.__getattribute__(v, '_bridge_id')}
        if isinstance(v, type) and getattr(v, '_bridge_peer', None) is self:
            return {'$': 'l', 'id': v._bridge_id}
        if isinstance(v, (RemoteModule, _RemoteError)) and v.__dict__.get('_bridge_peer') is self:
            return {'$': 'l', 'id': v.__dict__['_bridge_id']}
        if t is list:
            return [self.encode(x, depth + 1) for x in v]
        if t is tuple:
            return {'$': 'T', 'v': [self.encode(x, depth + 1) for x in v]}
        if t is dict:
            return {'$': 'D', 'v': [[self.encode(k, depth + 1), self.encode(x, depth + 1)] for k, x in v.items()]}
        if t is set or t is frozenset:
            return {'$': 'S' if t is set else 'F', 'v': [self.encode(x, depth + 1) for x in v]}
        if t is bytes:
            return {'$': 'B', 'v': base64.b64encode(v).decode()}
        if isinstance(v, BaseException):
            if isinstance(v, NOT_PASSED_ON):
                v = RuntimeError(f'the code under test raised {t.__name__}')
            try:
                args = self.encode(list(v.args), depth + 1)
            except Exception:
                args = [str(v)]
            cls = type(v)
            own = cls.__module__ == 'builtins' and cls.__name__ in EXC_BUILTINS
            return {'$': 'E', 'id': self.export(v), 'builtin': cls.__name__ if own else None,
                    'cls': None if own else self.encode(cls, depth + 1), 'args': args}
        if isinstance(v, type):
            kind = 'x' if issubclass(v, BaseException) else 'c'
            return {'$': 'r', 'id': self.export(v), 'k': kind, 'name': str(getattr(v, '__name__', 'Class')),
                    'base': _builtin_base(v) if kind == 'x' else None}
        if isinstance(v, types.ModuleType):
            return {'$': 'r', 'id': self.export(v), 'k': 'm', 'name': v.__name__}
        cls = type(v)
        cls_ref = None
        plain = isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType))
        if self.role == 'harness' and not plain and cls.__module__ != 'builtins':
            cls_ref = self.encode(cls, depth + 1)
        return {'$': 'r', 'id': self.export(v), 'k': 'f' if callable(v) else 'o', 'cls': cls_ref,
                'name': str(getattr(v, '__qualname__', None) or getattr(cls, '__name__', 'object'))}

    # ---- wire -> values
    def decode(self, w):
        if w is None or isinstance(w, (bool, int, str)):
            return w
        if isinstance(w, float):
            return w
        if isinstance(w, list):
            return [self.decode(x) for x in w]
        tag = w.get('$')
        if tag == 'i':
            return int(w['v'])
        if tag == 'f':
            return float(w['v'])
        if tag == 'T':
            return tuple(self.decode(x) for x in w['v'])
        if tag == 'D':
            return {self.decode(k): self.decode(x) for k, x in w['v']}
        if tag == 'S':
            return {self.decode(x) for x in w['v']}
        if tag == 'F':
            return frozenset(self.decode(x) for x in w['v'])
        if tag == 'B':
            return base64.b64decode(w['v'])
        if tag == 'l':
            try:
                return self.exported[w['id']]
            except KeyError:
                raise RuntimeError('bridge: unknown reference') from None
        if tag == 'r':
            return self.import_ref(w)
        if tag == 'E':
            return self.make_exception(w)
        raise RuntimeError('bridge: unknown value tag')

    def make_exception(self, w):
        args = self.decode(w.get('args') or [])
        args = tuple(args) if isinstance(args, list) else (str(args),)
        name = w.get('builtin')
        if name in EXC_BUILTINS and not issubclass(getattr(builtins, name), NOT_PASSED_ON):
            try:
                return getattr(builtins, name)(*args)
            except Exception:
                return getattr(builtins, name)(*[str(a) for a in args])
        cls = self.decode(w['cls']) if w.get('cls') else RuntimeError
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            cls = RuntimeError
        e = cls.__new__(cls)
        e.args = args
        if isinstance(e, _RemoteError):
            e.__dict__['_bridge_peer'] = self
            e.__dict__['_bridge_id'] = w['id']
        return e

    def import_ref(self, w):
        rid, kind = w['id'], w.get('k')
        known = self.imported.get(rid)
        if known is not None:
            return known
        name = str(w.get('name') or 'remote')
        if kind in ('c', 'x'):
            if kind == 'x':
                base = w.get('base') if w.get('base') in EXC_BUILTINS else 'Exception'
                base_cls = getattr(builtins, base)
                if issubclass(base_cls, NOT_PASSED_ON):
                    base_cls = Exception
                proxy = _RemoteClassMeta(name, (base_cls, _RemoteError), {'_bridge_peer': self, '_bridge_id': rid})
            else:
                proxy = _RemoteClassMeta(name, (_Remote,), {'_bridge_peer': self, '_bridge_id': rid})
        elif kind == 'm':
            proxy = RemoteModule(name, self, rid)
        else:
            cls = self.decode(w['cls']) if w.get('cls') else None
            if not (isinstance(cls, type) and issubclass(cls, _Remote)):
                cls = _Remote
            proxy = object.__new__(cls)
            object.__setattr__(proxy, '_bridge_peer', self)
            object.__setattr__(proxy, '_bridge_id', rid)
        self.imported[rid] = proxy
        return proxy

    # ---- requests
    def request(self, op, **payload):
        self.seq += 1
        n = self.seq
        self.ch.send(dict(payload, t='q', n=n, op=op))
        while True:
            msg = self.ch.recv()
            if isinstance(msg, dict) and msg.get('t') == 'q':
                self.ch.send(self.serve(msg))
                continue
            if not isinstance(msg, dict) or msg.get('t') != 's':
                raise RuntimeError('bridge: unexpected message')
            if msg.get('ok'):
                return self.decode(msg.get('v'))
            err = self.decode(msg.get('v'))
            if not isinstance(err, BaseException):
                err = RuntimeError(repr(err))
            raise err

    def serve(self, msg):
        try:
            return {'t': 's', 'n': msg.get('n'), 'ok': True, 'v': self.handle(msg)}
        except BridgeClosed:
            raise
        except BaseException as e:  # noqa: B902 - everything the code under test raises is passed on
            try:
                v = self.encode(e)
            except Exception:
                v = self.encode(RuntimeError('bridge: the error could not be passed'))
            return {'t': 's', 'n': msg.get('n'), 'ok': False, 'v': v}

    def local(self, rid):
        try:
            return self.exported[rid]
        except KeyError:
            raise RuntimeError('bridge: unknown reference') from None

    def handle(self, msg):
        op = msg.get('op')
        if op in self.ops:
            return self.ops[op](msg, self)
        grader = self.role == 'grader'
        if op == 'call':
            fn = self.local(msg['id'])
            if not callable(fn) or (grader and isinstance(fn, type)):
                raise TypeError('not callable')
            return self.encode(fn(*self.decode(msg.get('args') or []), **{str(k): self.decode(v) for k, v in (msg.get('kwargs') or {}).items()}))
        if op == 'get':
            if grader:
                raise AttributeError('the tests do not let the code under test read their attributes')
            return self.encode(getattr(self.local(msg['id']), str(msg['name'])))
        if op == 'set':
            if grader:
                raise AttributeError('the tests do not let the code under test change their objects')
            setattr(self.local(msg['id']), str(msg['name']), self.decode(msg.get('v')))
            return None
        if op == 'del':
            if grader:
                raise AttributeError('no')
            delattr(self.local(msg['id']), str(msg['name']))
            return None
        if op == 'op':
            name = str(msg.get('name'))
            if name not in OPS or (grader and name not in GRADER_OPS):
                raise TypeError(f'operation {name} is not available')
            args = self.decode(msg.get('args') or [])
            return self.encode(OPS[name](*args))
        if op == 'isinstance':
            return isinstance(self.decode(msg.get('v')), self.decode(msg.get('c')))
        raise RuntimeError(f'bridge: unknown operation {op}')


def _peer(o):
    return object.__getattribute__(o, '_bridge_peer')


def _rid(o):
    return object.__getattribute__(o, '_bridge_id')


def _op(name):
    def method(self, *args):
        return _peer(self).request('op', name=name, args=[_peer(self).encode(a) for a in (self,) + args])

    method.__name__ = f'__{name}__'
    return method


class _Remote:
    """A proxy of an object of the other side."""

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return _peer(self).request('get', id=_rid(self), name=name)

    def __setattr__(self, name, value):
        _peer(self).request('set', id=_rid(self), name=name, v=_peer(self).encode(value))

    def __delattr__(self, name):
        _peer(self).request('del', id=_rid(self), name=name)

    def __call__(self, *args, **kwargs):
        p = _peer(self)
        return p.request('call', id=_rid(self), args=[p.encode(a) for a in args], kwargs={k: p.encode(v) for k, v in kwargs.items()})


for _name in ('eq', 'ne', 'lt', 'le', 'gt', 'ge', 'add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'neg', 'abs',
              'len', 'iter', 'next', 'str', 'repr', 'bool', 'hash', 'int', 'float', 'index',
              'getitem', 'setitem', 'delitem', 'contains', 'enter', 'exit'):
    setattr(_Remote, f'__{_name}__', _op(_name))


class _RemoteError:
    """Mixed into proxy exception classes: attributes of a raised error are read from the original."""

    def __getattr__(self, name):
        d = self.__dict__
        if name.startswith('__') or '_bridge_peer' not in d:
            raise AttributeError(name)
        return d['_bridge_peer'].request('get', id=d['_bridge_id'], name=name)


class _RemoteClassMeta(type):
    """Proxy classes: calling one constructs on the other side; class attributes are read there."""

    def __call__(cls, *args, **kwargs):
        p = cls.__dict__.get('_bridge_peer') or cls._bridge_peer
        rid = cls._bridge_id
        return p.request('call', id=rid, args=[p.encode(a) for a in args], kwargs={k: p.encode(v) for k, v in kwargs.items()})

    def __getattr__(cls, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return cls._bridge_peer.request('get', id=cls._bridge_id, name=name)

    def __instancecheck__(cls, obj):
        if type.__instancecheck__(cls, obj):
            return True
        p = cls._bridge_peer
        if isinstance(obj, (_Remote, _RemoteError)) and getattr(obj, '_bridge_peer', None) is p:
            return p.request('isinstance', v=p.encode(obj), c=p.encode(cls))
        return False

    def __bool__(cls):
        return True

    def __iter__(cls):  # enum classes
        return iter(_peer_class_iter(cls))

    def __len__(cls):
        return len(_peer_class_iter(cls))


def _peer_class_iter(cls):
    p = cls._bridge_peer
    return p.request('op', name='iter_list', args=[p.encode(cls)])


OPS['iter_list'] = lambda o: list(o)


class RemoteModule(types.ModuleType):
    def __init__(self, name, peer, rid):
        super().__init__(name)
        self.__dict__['_bridge_peer'] = peer
        self.__dict__['_bridge_id'] = rid
        self.__path__ = []

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        d = self.__dict__
        return d['_bridge_peer'].request('get', id=d['_bridge_id'], name=name)


# ---- the grader's side


def _remote_finder_class():
    # importlib.abc is the grader's only: importing it (importlib.resources, pathlib, tempfile, ...)
    # would cost the candidate's harness ~10 ms of CPU per run for nothing.
    import importlib.abc

    class _RemoteFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        """Last on sys.meta_path: a module no one else found that the submission has is the candidate's."""

        def __init__(self, peer, code_dir):
            self.peer = peer
            self.code_dir = code_dir

        def _in_submission(self, top):
            if not top.isidentifier():
                return False
            base = os.path.join(self.code_dir, top)
            return os.path.isfile(base + '.py') or os.path.isdir(base)

        def find_spec(self, fullname, path=None, target=None):
            if not self._in_submission(fullname.split('.')[0]):
                return None
            return importlib.util.spec_from_loader(fullname, self, is_package=True)

        def create_module(self, spec):
            mod = self.peer.request('import', name=spec.name)
            if not isinstance(mod, RemoteModule):
                raise ImportError(spec.name)
            return mod

        def exec_module(self, module):
            pass

    return _RemoteFinder


def open_grader(bridge_dir):
    w = os.open(os.path.join(bridge_dir, 'to-code'), os.O_WRONLY)
    r = os.open(os.path.join(bridge_dir, 'from-code'), os.O_RDONLY)
    return Peer(Channel(r, w), 'grader')


def install_grader(bridge_dir='/work/bridge', code_dir='/work/code'):
    holder = {}

    class Lazy(_remote_finder_class()):
        def __init__(self):
            super().__init__(None, code_dir)

        def create_module(self, spec):
            if 'peer' not in holder:
                holder['peer'] = open_grader(bridge_dir)
            self.peer = holder['peer']
            return super().create_module(spec)

    sys.meta_path.append(Lazy())


# ---- the candidate's side


def serve_harness(bridge_dir='/work/bridge', code_dir='/work/code'):
    r = os.open(os.path.join(bridge_dir, 'to-code'), os.O_RDONLY)
    w = os.open(os.path.join(bridge_dir, 'from-code'), os.O_WRONLY)

    def do_import(msg, p):
        return p.encode(importlib.import_module(str(msg['name'])))

    peer = Peer(Channel(r, w), 'harness', {'import': do_import})
    os.chdir(code_dir)
    sys.path.insert(0, code_dir)
    while True:
        try:
            msg = peer.ch.recv()
        except BridgeClosed:
            os._exit(0)
        if not isinstance(msg, dict) or msg.get('t') != 'q':
            os._exit(3)
        try:
            peer.ch.send(peer.serve(msg))
        except BridgeClosed:
            os._exit(0)
