<?php
/*
 * A PHP file as tokens, with just enough structure to edit it by statement:
 * function bodies, the statements of a block (an if/elseif/else chain, a
 * try/catch or a loop counting as one), and byte offsets to splice at.
 * Used by the SquirrelMail switcher; it reads nothing but token types.
 */

declare(strict_types=1);

namespace Sqauth\SquirrelMail;

class UnrecognisedSource extends \RuntimeException
{
}

/** One statement: token indexes of its first and last token, and its byte span. */
final class Statement
{
    public function __construct(
        public readonly int $first,
        public readonly int $last,
        public readonly int $start,
        public readonly int $end,
    ) {
    }
}

final class PhpSource
{
    /** @var list<\PhpToken> */
    private array $t;
    private int $n;

    public function __construct(public readonly string $path, public readonly string $code)
    {
        $this->t = \PhpToken::tokenize($code);
        $this->n = count($this->t);
    }

    public function count(): int
    {
        return $this->n;
    }

    public function token(int $i): \PhpToken
    {
        return $this->t[$i];
    }

    /** The index of the next token from $i on that is not white space or a comment. */
    public function next(int $i): int
    {
        while ($i < $this->n && $this->t[$i]->isIgnorable()) {
            $i++;
        }
        return $i;
    }

    /** Token index of the '{' that opens the body of function or method $name, or throws. */
    public function functionBody(string $name): int
    {
        for ($i = 0; $i < $this->n; $i++) {
            if (!$this->t[$i]->is(T_FUNCTION)) {
                continue;
            }
            $j = $this->next($i + 1);
            if ($j < $this->n && $this->t[$j]->is(T_STRING) && strcasecmp($this->t[$j]->text, $name) === 0) {
                $j = $this->match($this->next($j + 1));          // the parameter list
                $j = $this->next($j + 1);
                while ($j < $this->n && $this->t[$j]->text !== '{' && $this->t[$j]->text !== ';') {
                    $j++;                                         // a return type
                }
                if ($j < $this->n && $this->t[$j]->text === '{') {
                    return $j;
                }
            }
        }
        throw new UnrecognisedSource("$this->path: no function $name() with a body");
    }

    /** The token index of the bracket that closes the one at $i ((, [, { or a "${"/"{$"). */
    public function match(int $i): int
    {
        $open = $this->t[$i]->text;
        if (!in_array($open, ['(', '[', '{'], true)) {
            throw new UnrecognisedSource("$this->path: expected a bracket at line {$this->t[$i]->line}");
        }
        $depth = 0;
        for (; $i < $this->n; $i++) {
            $x = $this->t[$i];
            if (in_array($x->text, ['(', '[', '{'], true) || $x->is([T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES])) {
                $depth++;
            } elseif (in_array($x->text, [')', ']', '}'], true)) {
                if (--$depth === 0) {
                    return $i;
                }
            }
        }
        throw new UnrecognisedSource("$this->path: unbalanced brackets");
    }

    /**
     * The statements directly inside the block whose '{' is at $open.
     * @return list<Statement>
     */
    public function statements(int $open): array
    {
        return $this->statementsIn($open + 1, $this->match($open));
    }

    /**
     * The statements from token $from up to (not including) token $to.
     * @return list<Statement>
     */
    private function statementsIn(int $from, int $close): array
    {
        $out = [];
        $prevEnd = $from;
        $i = $this->next($from);
        while ($i < $close) {
            if ($this->t[$i]->is(T_CLOSE_TAG) && $this->onlyWhiteSpaceAfter($i)) {
                break;                                        // a closing tag that ends the file
            }
            if ($this->t[$i]->is([T_CLOSE_TAG, T_INLINE_HTML])) {
                throw new UnrecognisedSource("$this->path: HTML between PHP blocks is not handled (line {$this->t[$i]->line})");
            }
            $last = $this->statementEnd($i);
            $out[] = $this->span($prevEnd, $i, $last);
            $prevEnd = $last + 1;
            $i = $this->next($last + 1);
        }
        return $out;
    }

    /**
     * The statements of the innermost block that holds token $k, and which of
     * them holds it.
     * @return array{list<Statement>, int}
     */
    public function statementsAround(int $k): array
    {
        $depth = 0;
        for ($i = $k - 1; $i >= 0; $i--) {             // (a '{' at $k opens a block inside the statement)
            $x = $this->t[$i]->text;
            if ($x === '}') {
                $depth++;
            } elseif ($x === '{' || $this->t[$i]->is([T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES])) {
                if ($depth-- === 0) {
                    $list = $this->statements($i);
                    foreach ($list as $n => $s) {
                        if ($s->first <= $k && $k <= $s->last) {
                            return [$list, $n];
                        }
                    }
                }
            }
        }
        // the file's own level, after its opening tag
        $list = $this->statementsIn($this->t[0]->is(T_OPEN_TAG) ? 1 : 0, $this->n);
        foreach ($list as $n => $s) {
            if ($s->first <= $k && $k <= $s->last) {
                return [$list, $n];
            }
        }
        throw new UnrecognisedSource("$this->path: token $k is in no statement");
    }

    /** The string literals passed to calls of $fn: function_exists('x') gives 'x'. */
    public function literalArguments(string $fn): array
    {
        $out = [];
        foreach ($this->find($fn) as $i) {
            $j = $this->next($i + 1);
            if ($this->t[$j]->text === '(') {
                $k = $this->next($j + 1);
                if ($this->t[$k]->is(T_CONSTANT_ENCAPSED_STRING)) {
                    $out[] = strtolower(trim($this->t[$k]->text, '\'"'));
                }
            }
        }
        return $out;
    }

    /** Token indexes of every T_STRING $name (a call or constant, case-insensitive). */
    public function find(string $name, int $from = 0, ?int $to = null): array
    {
        $to ??= $this->n - 1;
        $hits = [];
        for ($i = $from; $i <= $to; $i++) {
            if ($this->t[$i]->is(T_STRING) && strcasecmp($this->t[$i]->text, $name) === 0) {
                $hits[] = $i;
            }
        }
        return $hits;
    }

    /** Whether the statement uses variable $name (without the $). */
    public function uses(Statement $s, string $name): bool
    {
        for ($i = $s->first; $i <= $s->last; $i++) {
            if ($this->t[$i]->is(T_VARIABLE) && $this->t[$i]->text === '$' . $name) {
                return true;
            }
        }
        return false;
    }

    /** Whether the statement contains the T_STRING $name or the string literal '$name'. */
    public function mentions(Statement $s, string $name): bool
    {
        for ($i = $s->first; $i <= $s->last; $i++) {
            $x = $this->t[$i];
            if (($x->is(T_STRING) && strcasecmp($x->text, $name) === 0)
                || ($x->is(T_CONSTANT_ENCAPSED_STRING) && trim($x->text, '\'"') === $name)) {
                return true;
            }
        }
        return false;
    }

    /** The statement's source text. */
    public function text(Statement $s): string
    {
        return substr($this->code, $s->start, $s->end - $s->start);
    }

    /** The white space that indents the line on which the statement starts. */
    /**
     * What a statement says, apart from its layout: the SHA-256 of its tokens without white
     * space and comments. Two copies of a release's code that differ only in layout agree.
     */
    public function fingerprint(Statement $s): string
    {
        $h = hash_init('sha256');
        for ($i = $s->first; $i <= $s->last; $i++) {
            if (!$this->t[$i]->isIgnorable()) {
                hash_update($h, $this->t[$i]->text . "\0");
            }
        }
        return hash_final($h);
    }

    /** The line a statement starts on and the one it ends on. */
    public function lines(Statement $s): array
    {
        return [$this->t[$s->first]->line, $this->t[$s->last]->line + substr_count($this->t[$s->last]->text, "\n")];
    }

    public function indent(Statement $s): string
    {
        $at = $this->offset($s->first);
        $bol = strrpos(substr($this->code, 0, $at), "\n");
        $bol = $bol === false ? 0 : $bol + 1;
        return preg_match('/^[ \t]*/', substr($this->code, $bol, $at - $bol), $m) ? $m[0] : '';
    }

    /** Byte offset of token $i. */
    public function offset(int $i): int
    {
        return $this->t[$i]->pos;
    }

    /** The text the statement at $i runs to (index of its last token). */
    private function statementEnd(int $i): int
    {
        $x = $this->t[$i];
        if ($x->text === '{') {
            return $this->match($i);
        }
        if ($x->is([T_IF, T_ELSEIF, T_WHILE, T_FOR, T_FOREACH, T_SWITCH])) {
            $j = $this->match($this->next($i + 1));
            $j = $this->body($this->next($j + 1));
            if ($x->is([T_IF, T_ELSEIF])) {
                $k = $this->next($j + 1);
                if ($k < $this->n && $this->t[$k]->is(T_ELSEIF)) {
                    return $this->statementEnd($k);
                }
                if ($k < $this->n && $this->t[$k]->is(T_ELSE)) {
                    return $this->body($this->next($k + 1));
                }
            }
            return $j;
        }
        if ($x->is(T_TRY)) {
            $j = $this->match($this->next($i + 1));
            for (;;) {
                $k = $this->next($j + 1);
                if ($k < $this->n && $this->t[$k]->is(T_CATCH)) {
                    $j = $this->match($this->next($this->match($this->next($k + 1)) + 1));
                } elseif ($k < $this->n && $this->t[$k]->is(T_FINALLY)) {
                    $j = $this->match($this->next($k + 1));
                } else {
                    return $j;
                }
            }
        }
        if ($x->is(T_DO)) {
            $j = $this->body($this->next($i + 1));
            $k = $this->next($j + 1);                        // while
            $k = $this->match($this->next($k + 1));          // (...)
            return $this->next($k + 1);                      // ;
        }
        if ($x->is(T_FUNCTION) && $this->t[$this->next($i + 1)]->is(T_STRING)) {
            $j = $this->match($this->next($this->next($i + 1) + 1));
            while ($j < $this->n && $this->t[$j]->text !== '{') {
                $j++;
            }
            return $this->match($j);
        }
        // an expression statement: to the ';' (or closing tag) outside brackets
        for ($j = $i; $j < $this->n; $j++) {
            $y = $this->t[$j];
            if ($y->text === ';' || $y->is(T_CLOSE_TAG)) {
                return $j;
            }
            if (in_array($y->text, ['(', '[', '{'], true) || $y->is([T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES])) {
                $j = $this->match($j);
            } elseif ($y->text === ':' && $j === $i + 1) {
                break;                                        // a label, or alternative syntax
            }
        }
        throw new UnrecognisedSource("$this->path: cannot read the statement at line {$x->line}");
    }

    private function onlyWhiteSpaceAfter(int $i): bool
    {
        for ($j = $i + 1; $j < $this->n; $j++) {
            if (trim($this->t[$j]->text) !== '') {
                return false;
            }
        }
        return true;
    }

    /** Whether only white space stands before token $i on its line. */
    private function startsLine(int $i): bool
    {
        $at = $this->offset($i);
        $bol = strrpos(substr($this->code, 0, $at), "\n");
        return trim(substr($this->code, $bol === false ? 0 : $bol + 1, $at - ($bol === false ? 0 : $bol + 1))) === '';
    }

    /** The end of a control structure's body at $i: a block or a single statement. */
    private function body(int $i): int
    {
        if ($i >= $this->n || $this->t[$i]->text === ':') {
            throw new UnrecognisedSource("$this->path: alternative control syntax is not handled (line "
                . ($this->t[$i]->line ?? '?') . ')');
        }
        return $this->t[$i]->text === '{' ? $this->match($i) : $this->statementEnd($i);
    }

    /**
     * A statement's byte span: from the start of the line its first token is on
     * (when only white space and comments stand before it there) to the end of
     * its last line. Comments on the lines above stay with whatever is before.
     */
    private function span(int $prevEnd, int $first, int $last): Statement
    {
        // the comments right above the statement (no blank line between) go with it
        $lead = $first;
        for ($i = $first - 1; $i >= $prevEnd; $i--) {
            $x = $this->t[$i];
            if ($x->is([T_COMMENT, T_DOC_COMMENT]) && $this->startsLine($i)) {
                $lead = $i;
            } elseif (!$x->is(T_WHITESPACE) || substr_count($x->text, "\n") > 1) {
                break;
            }
        }
        $start = $this->offset($lead);
        $bol = strrpos(substr($this->code, 0, $start), "\n");
        $bol = $bol === false ? 0 : $bol + 1;
        if ($bol >= $this->offset($prevEnd) && trim(substr($this->code, $bol, $start - $bol)) === '') {
            $start = $bol;
        }
        $end = $this->offset($last) + strlen($this->t[$last]->text);
        $eol = strpos($this->code, "\n", $end);
        if ($eol !== false && trim(substr($this->code, $end, $eol - $end)) === '') {
            $end = $eol + 1;
        }
        return new Statement($first, $last, $start, $end);
    }
}
