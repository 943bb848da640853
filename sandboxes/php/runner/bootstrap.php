<?php
// Bootstrap of the php sandbox (PHPUnit runs with --no-configuration): an autoloader standing in
// for Composer's. It follows composer.json's "autoload"/"autoload-dev" PSR-4 maps when the code
// has one, else finds a class by its short name among the code's .php files (src/, lib/, app/
// and the top folder first, then tests/).
declare(strict_types=1);

(function (): void {
    $root = '/work/code';
    $psr4 = [];
    $composer = $root . '/composer.json';
    if (is_file($composer)) {
        $json = json_decode((string) file_get_contents($composer), true);
        if (is_array($json)) {
            foreach (['autoload', 'autoload-dev'] as $section) {
                foreach (($json[$section]['psr-4'] ?? []) as $prefix => $dirs) {
                    foreach ((array) $dirs as $dir) {
                        $psr4[] = [(string) $prefix, $root . '/' . trim((string) $dir, '/')];
                    }
                }
                foreach (($json[$section]['files'] ?? []) as $file) {
                    $path = $root . '/' . ltrim((string) $file, '/');
                    if (is_file($path)) {
                        require_once $path;
                    }
                }
            }
        }
    }
    usort($psr4, fn ($a, $b) => strlen($b[0]) <=> strlen($a[0]));
    $index = null;
    spl_autoload_register(function (string $class) use ($root, $psr4, &$index): void {
        foreach ($psr4 as [$prefix, $dir]) {
            if ($prefix === '' || str_starts_with($class, $prefix)) {
                $file = $dir . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
                if (is_file($file)) {
                    require_once $file;
                    return;
                }
            }
        }
        if ($index === null) {
            $index = [];
            $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root, FilesystemIterator::SKIP_DOTS));
            $files = [];
            foreach ($it as $f) {
                if ($f->isFile() && str_ends_with($f->getFilename(), '.php')) {
                    $files[] = substr($f->getPathname(), strlen($root) + 1);
                }
            }
            // solution folders before test folders, shallower first
            usort($files, function ($a, $b) {
                $rank = fn ($p) => preg_match('#^(tests?|spec)/#', $p) ? 1 : 0;
                return [$rank($a), substr_count($a, '/'), $a] <=> [$rank($b), substr_count($b, '/'), $b];
            });
            foreach ($files as $rel) {
                $index[basename($rel, '.php')] ??= $root . '/' . $rel;
            }
        }
        $short = substr($class, (int) strrpos('\\' . $class, '\\'));
        if (isset($index[$short])) {
            require_once $index[$short];
        }
    });
})();
