<?php
// Run once when the image is built (never in a grading run): the classes PHPUnit loads for a run
// with a passing, a failing, a data-provided, an exception and a skipped test are listed in
// /opt/runner/preload.txt, and a prestarted run loads them before the submission exists.
declare(strict_types=1);

final class SandboxWarmupLeap
{
    public static function isLeap(int $year): bool
    {
        return $year % 4 === 0 && ($year % 100 !== 0 || $year % 400 === 0);
    }
}
