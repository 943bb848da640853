<?php
// The php runner started ahead of the submission (sandboxes/prestart/serve; runner/test with
// SANDBOX_PRESTART). Before any file of the run exists it loads PHPUnit (what /usr/bin/phpunit
// does before Command::main) and every class a run of ours loaded when the image was built
// (preload.txt, written by `php prestart.php --list <file>` over warmup/: PHPUnit's runner, its
// assertions and failure formatting, the JUnit logger), then waits for the go on stdin (lines:
// `warm` is ignored, loading is the warm-up; `go` = the files are in /work/code). Then, as
// runner/test: the syntax check of every .php file (one `error` case with PHP's message, before
// any of the files runs), and PHPUnit with the same arguments, in this process. The container
// serves one run: nothing loaded here ever sees a second submission.
declare(strict_types=1);

if (!ini_get('date.timezone')) {
    ini_set('date.timezone', 'UTC');
}
define('PHPUNIT_COMPOSER_INSTALL', 'PHPUnit/Autoload.php');
require PHPUNIT_COMPOSER_INSTALL;

const SANDBOX_RUNNER = __DIR__;

/** The arguments of runner/test's PHPUnit run over $dir. */
function sandbox_phpunit_args(string $dir, string $report): array
{
    return ['phpunit', '--no-configuration', '--bootstrap', SANDBOX_RUNNER . '/bootstrap.php', '--colors=never',
        '--do-not-cache-result', '--log-junit', $report, '--test-suffix', 'Test.php', $dir];
}

function sandbox_phpunit(array $argv): int
{
    $_SERVER['argv'] = $argv;
    $_SERVER['argc'] = count($argv);
    return (new PHPUnit\TextUI\Command())->run($argv, false);
}

// Image build: run the warm-up suite and list the classes PHPUnit loaded, in load order.
if (($argv[1] ?? '') === '--list') {
    $before = array_merge(get_declared_classes(), get_declared_interfaces(), get_declared_traits());
    $tmp = sys_get_temp_dir() . '/warmup-' . getmypid();
    $code = $tmp . '/code';
    mkdir($code . '/src', 0700, true);
    mkdir($code . '/tests', 0700, true);
    copy(SANDBOX_RUNNER . '/warmup/src/SandboxWarmupLeap.php', $code . '/src/SandboxWarmupLeap.php');
    copy(SANDBOX_RUNNER . '/warmup/tests/SandboxWarmupLeapTest.php', $code . '/tests/SandboxWarmupLeapTest.php');
    chdir($code);
    ob_start();
    sandbox_phpunit(sandbox_phpunit_args('tests', $tmp . '/junit.xml'));
    ob_end_clean();
    $listed = [];
    foreach (array_merge(get_declared_interfaces(), get_declared_traits(), get_declared_classes()) as $name) {
        $file = (new ReflectionClass($name))->getFileName();
        if ($file !== false && str_starts_with($file, '/usr/share/php/') && !in_array($name, $before, true)) {
            $listed[] = $name;
        }
    }
    file_put_contents($argv[2], implode("\n", $listed) . "\n");
    exit(is_file($tmp . '/junit.xml') && count($listed) > 100 ? 0 : 1);
}

foreach (file(SANDBOX_RUNNER . '/preload.txt', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $name) {
    class_exists($name) || interface_exists($name) || trait_exists($name);
}

for (;;) {
    $line = fgets(STDIN);
    if ($line === false) {
        exit(125);
    }
    $line = trim($line);
    if ($line === 'go') {
        break;
    }
    if ($line !== 'warm') {
        exit(125);
    }
}
// STDIN stays open (PHPUnit looks at it); nothing more comes on it once the go is read.

if (!@chdir('/work/code')) {
    exit(125);
}
@mkdir('/work/.run', 0755);
@mkdir('/work/out', 0755);
$dir = '.';
foreach (['tests', 'test'] as $d) {
    if (is_dir($d)) {
        $dir = $d;
        break;
    }
}

// The syntax check of runner/test (`php -n -l` of each file), without a process per file: the
// file is parsed (never run) and a parse error is reported as php -l words it.
$errors = '';
$files = [];
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator('.', FilesystemIterator::SKIP_DOTS));
foreach ($it as $f) {
    $path = $f->getPathname();
    if ($f->isFile() && str_ends_with($f->getFilename(), '.php') && !str_starts_with($path, './.run/')) {
        $files[] = $path;
    }
}
sort($files);
foreach ($files as $path) {
    try {
        token_get_all((string) file_get_contents($path), TOKEN_PARSE);
    } catch (ParseError $e) {
        $errors .= 'Parse error: ' . $e->getMessage() . ' in ' . $path . ' on line ' . $e->getLine() . "\n";
    }
}
if ($errors !== '') {
    fwrite(STDERR, $errors);
    file_put_contents('/work/.run/lint.msg', $errors);
    $report = proc_open([SANDBOX_RUNNER . '/error-report.sh', 'syntax check', '/work/.run/lint.msg', '/work/out/junit.xml', 'php'], [], $pipes);
    proc_close($report);
    exit(1);
}

exit(sandbox_phpunit(sandbox_phpunit_args($dir, '/work/out/junit.xml')));
