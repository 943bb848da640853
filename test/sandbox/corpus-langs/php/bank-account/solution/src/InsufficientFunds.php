<?php

declare(strict_types=1);

namespace Bank;

final class InsufficientFunds extends \DomainException
{
}
