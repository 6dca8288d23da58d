namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Parses S-FEEL cell text into <see cref="UnaryTest"/> and <see cref="FeelExpression"/> trees.
/// Errors carry the offset, line and column within the cell, and say how to fix the text.
/// </summary>
/// <remarks>
/// Every tree this parser returns is at most <see cref="MaxDepth"/> levels deep and comes from at most
/// <see cref="MaxTextLength"/> characters, so the compiler, the analyzer and any other recursive visitor can walk
/// it without running out of stack: a stack overflow cannot be caught and would end the whole process.
/// </remarks>
public static class FeelParser
{
    /// <summary>The longest cell or expression text accepted, in characters.</summary>
    public const int MaxTextLength = 8_192;

    /// <summary>
    /// How deeply an expression may nest: parentheses, <c>not(...)</c>, function calls and unary minus signs count,
    /// and so does each operator of a chain such as <c>a + b + c</c>. Real decision cells stay far below it.
    /// </summary>
    public const int MaxDepth = 128;

    /// <summary>Parses an input entry or an allowed-values list: <c>-</c>, <c>&lt; 10</c>, <c>[11..500]</c>, <c>"SMB","Mid"</c>, <c>not("X")</c>.</summary>
    public static FeelParseResult<UnaryTest> ParseUnaryTests(string? text, FeelNames? names = null) =>
        Run(text ?? "", names, static p => p.UnaryTestsToEnd());

    /// <summary>Parses an output entry, input expression or literal expression.</summary>
    public static FeelParseResult<FeelExpression> ParseExpression(string? text, FeelNames? names = null) =>
        Run(text ?? "", names, static p => p.ExpressionToEnd());

    private static FeelParseResult<T> Run<T>(string text, FeelNames? names, Func<Parser, T> parse)
        where T : class
    {
        if (text.Length > MaxTextLength)
        {
            return new FeelParseResult<T>(null, ToError(text,
                $"The text is {text.Length:N0} characters long; a cell or expression holds at most {MaxTextLength:N0}.", MaxTextLength, text.Length - MaxTextLength)
                with { ExceedsLimit = true });
        }

        try
        {
            var tokens = FeelLexer.Tokenize(text, names ?? FeelNames.Lenient);
            var tree = parse(new Parser(text, tokens, names ?? FeelNames.Lenient));

            // Each level of a tree takes at least one token (the end token pays for a test's implicit '='), so only
            // texts with more tokens than the limit need measuring: real cells skip the walk.
            if (tokens.Count > MaxDepth)
            {
                FeelTreeDepth.Check(tree);
            }

            return new FeelParseResult<T>(tree, null);
        }
        catch (FeelSyntaxException e)
        {
            return new FeelParseResult<T>(null, ToError(text, e.Message, e.Offset, e.Length) with { ExceedsLimit = e.ExceedsLimit });
        }
    }

    internal static FeelSyntaxException TooDeep(int offset, int length) => new(
        $"The expression nests more than {MaxDepth} levels deep (parentheses, not(...), function calls, minus signs and chained operators count); simplify it.",
        offset, length, exceedsLimit: true);

    internal static FeelSyntaxError ToError(string text, string message, int offset, int length)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new FeelSyntaxError(message, offset, Math.Max(length, 0), line, offset - lineStart + 1);
    }

    private sealed class Parser(string text, List<Token> tokens, FeelNames names)
    {
        private int _position;

        // Nesting of the recursive descent itself; the depth of the finished tree is checked separately.
        private int _depth;

        // Names declared inside the text (for/some/every variables, context keys) and the nesting of filters, inside
        // which the item's components are names the parser cannot know.
        private readonly List<string> _locals = [];
        private int _filterDepth;
        private bool _rangeEnd;

        private bool IsKeyword(string word) => Current.Kind == TokenKind.Keyword && Current.Text == word;

        private bool AcceptKeyword(string word)
        {
            if (!IsKeyword(word))
            {
                return false;
            }

            _position++;
            return true;
        }

        private void ExpectKeyword(string word, string why)
        {
            if (!AcceptKeyword(word))
            {
                throw Unexpected($"'{word}' {why}");
            }
        }

        /// <summary>Called just after the token that opens a level ('(', a minus sign), so the error points at that token.</summary>
        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                var opener = _position > 0 ? tokens[_position - 1] : Current;
                throw TooDeep(opener.Start, opener.Length);
            }
        }

        private Token Current => tokens[_position];

        private Token Peek(int ahead = 1) => tokens[Math.Min(_position + ahead, tokens.Count - 1)];

        private Token Advance() => tokens[_position++];

        private bool At(TokenKind kind) => Current.Kind == kind;

        private bool Accept(TokenKind kind)
        {
            if (!At(kind))
            {
                return false;
            }

            _position++;
            return true;
        }

        private Token Expect(TokenKind kind, string what)
        {
            if (!At(kind))
            {
                throw Unexpected(what);
            }

            return Advance();
        }

        private FeelSyntaxException Unexpected(string expected)
        {
            var token = Current;
            if (token.Kind == TokenKind.End)
            {
                return new FeelSyntaxException($"Expected {expected} but the text ended.", token.Start, 0);
            }

            return new FeelSyntaxException($"Expected {expected} but found {Describe(token)}.", token.Start, token.Length);
        }

        private string Describe(Token token) => token.Kind switch
        {
            TokenKind.String => $"the string {text[token.Start..token.End]}",
            TokenKind.Number => $"the number {token.Text}",
            TokenKind.Name => $"the name '{token.Text}'",
            _ => $"'{text[token.Start..token.End]}'",
        };

        public UnaryTest UnaryTestsToEnd()
        {
            if (At(TokenKind.End))
            {
                throw new FeelSyntaxException("The cell is empty; write - to match any value.", 0, text.Length);
            }

            if (At(TokenKind.Minus) && Peek().Kind == TokenKind.End)
            {
                return new AnyTest(new TextSpan(Advance().Start, 1));
            }

            if (tokens.Exists(static t => t.Kind == TokenKind.Question))
            {
                // DMN 1.3: a test may be any boolean expression over '?', the value under test: "? > Max Amount".
                var expression = Expression();
                if (!At(TokenKind.End))
                {
                    throw Unexpected("an operator or the end of the cell");
                }

                return new ExpressionTest(expression, expression.Span);
            }

            UnaryTest result;
            if (At(TokenKind.Not) && Peek().Kind == TokenKind.LeftParen)
            {
                var start = Advance().Start;
                Advance();
                var inner = PositiveUnaryTests();
                var close = Expect(TokenKind.RightParen, "')' to close not(");
                result = new NegatedTest(inner, TextSpan.FromBounds(start, close.End));
            }
            else
            {
                result = PositiveUnaryTests();
            }

            ExpectEndOfTests();
            return result;
        }

        private void ExpectEndOfTests()
        {
            switch (Current.Kind)
            {
                case TokenKind.End:
                    return;
                case TokenKind.And:
                    throw new FeelSyntaxException("Unary tests cannot be joined with 'and'; use a range such as [18..65).", Current.Start, Current.Length);
                case TokenKind.Or:
                    throw new FeelSyntaxException("Separate alternatives with a comma instead of 'or', e.g. \"SMB\",\"Mid\".", Current.Start, Current.Length);
                case TokenKind.DotDot:
                    throw new FeelSyntaxException("A range needs brackets, e.g. [11..500].", Current.Start, Current.Length);
                default:
                    throw Unexpected("',' or the end of the cell");
            }
        }

        private UnaryTest PositiveUnaryTests()
        {
            var first = PositiveUnaryTest();
            if (!At(TokenKind.Comma))
            {
                return first;
            }

            var tests = new List<UnaryTest> { first };
            while (Accept(TokenKind.Comma))
            {
                tests.Add(PositiveUnaryTest());
            }

            return new DisjunctionTest(tests.ToEquatableArray(), TextSpan.FromBounds(first.Span.Start, tests[^1].Span.End));
        }

        private UnaryTest PositiveUnaryTest()
        {
            var token = Current;
            ComparisonOperator? op = token.Kind switch
            {
                TokenKind.Less => ComparisonOperator.Less,
                TokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
                TokenKind.Greater => ComparisonOperator.Greater,
                TokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
                TokenKind.Equal => ComparisonOperator.Equal,
                TokenKind.NotEqual => ComparisonOperator.NotEqual,
                _ => null,
            };
            if (op is { } comparison)
            {
                Advance();
                if (At(TokenKind.End) || At(TokenKind.Comma))
                {
                    throw Unexpected($"a value after '{text[token.Start..token.End]}'");
                }

                var endpoint = Additive();
                return new ComparisonTest(comparison, endpoint, TextSpan.FromBounds(token.Start, endpoint.Span.End));
            }

            if (token.Kind == TokenKind.RightBracket)
            {
                return Range();
            }

            if (token.Kind == TokenKind.LeftBracket)
            {
                // "[11..500]" is a range, "[1, 2]" or "[]" a list the value must be in: look for ".." after the first item.
                var saved = _position;
                Advance();
                var isList = At(TokenKind.RightBracket);
                if (!isList)
                {
                    Additive();
                    isList = !At(TokenKind.DotDot);
                }

                _position = saved;
                if (!isList)
                {
                    return Range();
                }
            }

            if (token.Kind == TokenKind.LeftParen)
            {
                // "(1..5]" is a range, "(1 + 2)" a parenthesised value: look for ".." after the first endpoint.
                var saved = _position;
                Advance();
                Additive();
                var isRange = At(TokenKind.DotDot);
                _position = saved;
                if (isRange)
                {
                    return Range();
                }
            }

            if (token.Kind == TokenKind.Not && Peek().Kind == TokenKind.LeftParen)
            {
                throw new FeelSyntaxException("not(...) must enclose the whole cell, e.g. not(\"A\",\"B\").", token.Start, token.Length);
            }

            if (token.Kind == TokenKind.Minus && Peek().Kind is TokenKind.Comma or TokenKind.End)
            {
                throw new FeelSyntaxException("'-' (any value) must be the only thing in the cell.", token.Start, token.Length);
            }

            var value = Additive();
            if (At(TokenKind.DotDot))
            {
                throw new FeelSyntaxException("A range needs brackets, e.g. [11..500].", value.Span.Start, Current.End - value.Span.Start);
            }

            return new ComparisonTest(ComparisonOperator.Equal, value, value.Span);
        }

        private RangeTest Range()
        {
            var open = Advance();
            var startIncluded = open.Kind == TokenKind.LeftBracket;
            var low = Additive();
            if (!At(TokenKind.DotDot))
            {
                throw Unexpected("'..' between the two ends of the range");
            }

            Advance();

            // "]1..5[" closes with '[', which must not read as a filter of the end value.
            _rangeEnd = true;
            var high = Additive();
            _rangeEnd = false;
            var close = Current;
            bool endIncluded;
            switch (close.Kind)
            {
                case TokenKind.RightBracket:
                    endIncluded = true;
                    break;
                case TokenKind.RightParen or TokenKind.LeftBracket:
                    endIncluded = false;
                    break;
                default:
                    throw Unexpected("']' (end included) or ')' (end excluded) to close the range");
            }

            Advance();
            return new RangeTest(low, startIncluded, high, endIncluded, TextSpan.FromBounds(open.Start, close.End));
        }

        public FeelExpression ExpressionToEnd()
        {
            if (At(TokenKind.End))
            {
                throw new FeelSyntaxException("The expression is empty.", 0, text.Length);
            }

            var expression = Expression();
            if (!At(TokenKind.End))
            {
                if (At(TokenKind.Comma))
                {
                    throw new FeelSyntaxException("An expression has a single value; write a list in brackets, e.g. [1, 2].", Current.Start, Current.Length);
                }

                throw Unexpected("an operator or the end of the expression");
            }

            return expression;
        }

        private FeelExpression Expression()
        {
            Enter();
            var expression = Current.Kind == TokenKind.Keyword ? Textual() : Disjunction();
            _depth--;
            return expression;
        }

        private FeelExpression Textual()
        {
            var start = Current;
            switch (start.Text)
            {
                case "if":
                {
                    Advance();
                    var condition = Expression();
                    ExpectKeyword("then", "after the condition of if");
                    var then = Expression();
                    ExpectKeyword("else", "after then: if ... then ... else ...");
                    var otherwise = Expression();
                    return new FeelIf(condition, then, otherwise, TextSpan.FromBounds(start.Start, otherwise.Span.End));
                }

                case "for":
                {
                    Advance();
                    var declared = _locals.Count;
                    var iterations = Iterations();
                    ExpectKeyword("return", "after the lists of for: for x in list return ...");
                    var body = Expression();
                    _locals.RemoveRange(declared, _locals.Count - declared);
                    return new FeelFor(iterations, body, TextSpan.FromBounds(start.Start, body.Span.End));
                }

                case "some" or "every":
                {
                    Advance();
                    var declared = _locals.Count;
                    var iterations = Iterations();
                    ExpectKeyword("satisfies", $"after the lists of {start.Text}: {start.Text} x in list satisfies ...");
                    var condition = Expression();
                    _locals.RemoveRange(declared, _locals.Count - declared);
                    return new FeelQuantified(start.Text == "every", iterations, condition, TextSpan.FromBounds(start.Start, condition.Span.End));
                }

                default:
                    throw Unexpected("a value");
            }
        }

        private EquatableArray<FeelIteration> Iterations()
        {
            var iterations = new List<FeelIteration>();
            do
            {
                if (!At(TokenKind.Name))
                {
                    throw Unexpected("a variable name");
                }

                var variable = Advance().Text!;
                ExpectKeyword("in", $"after {variable}");
                var source = Disjunction();
                if (At(TokenKind.DotDot))
                {
                    // "for i in 1..3": a range of integers.
                    Advance();
                    var end = Disjunction();
                    source = new FeelFunctionCall("range of", [source, end], TextSpan.FromBounds(source.Span.Start, end.Span.End));
                }

                iterations.Add(new FeelIteration(variable, source));
                _locals.Add(variable);
            }
            while (Accept(TokenKind.Comma));

            return [.. iterations];
        }

        private FeelExpression Disjunction()
        {
            var left = Conjunction();
            while (At(TokenKind.Or))
            {
                Advance();
                var right = Conjunction();
                left = new FeelBinary(FeelBinaryOperator.Or, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            return left;
        }

        private FeelExpression Conjunction()
        {
            var left = Comparison();
            while (At(TokenKind.And))
            {
                Advance();
                var right = Comparison();
                left = new FeelBinary(FeelBinaryOperator.And, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            return left;
        }

        private FeelExpression Comparison()
        {
            var left = Additive();
            FeelBinaryOperator? op = Current.Kind switch
            {
                TokenKind.Equal => FeelBinaryOperator.Equal,
                TokenKind.NotEqual => FeelBinaryOperator.NotEqual,
                TokenKind.Less => FeelBinaryOperator.Less,
                TokenKind.LessOrEqual => FeelBinaryOperator.LessOrEqual,
                TokenKind.Greater => FeelBinaryOperator.Greater,
                TokenKind.GreaterOrEqual => FeelBinaryOperator.GreaterOrEqual,
                _ => null,
            };
            if (op is { } comparison)
            {
                Advance();
                var right = Additive();
                return new FeelBinary(comparison, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            if (AcceptKeyword("between"))
            {
                var low = Additive();
                Expect(TokenKind.And, "'and' between the two ends: x between 1 and 5");
                var high = Additive();
                return new FeelBetween(left, low, high, TextSpan.FromBounds(left.Span.Start, high.Span.End));
            }

            if (AcceptKeyword("in"))
            {
                var test = InTest();
                return new FeelIn(left, test, TextSpan.FromBounds(left.Span.Start, test.Span.End));
            }

            return left;
        }

        /// <summary>The right side of "x in ...": a positive unary test, or several in parentheses: x in ("a", "b").</summary>
        private UnaryTest InTest()
        {
            if (At(TokenKind.LeftParen))
            {
                var saved = _position;
                var open = Advance();
                try
                {
                    var tests = PositiveUnaryTests();
                    if (At(TokenKind.RightParen))
                    {
                        var close = Advance();
                        return tests is DisjunctionTest d ? d with { Span = TextSpan.FromBounds(open.Start, close.End) } : tests;
                    }
                }
                catch (FeelSyntaxException e) when (!e.ExceedsLimit)
                {
                    // Not a list of tests: "(1..5]" or a parenthesised value; read it as one test below.
                }

                _position = saved;
            }

            return PositiveUnaryTest();
        }

        private FeelExpression Additive()
        {
            var left = Multiplicative();
            while (At(TokenKind.Plus) || At(TokenKind.Minus))
            {
                var op = Advance().Kind == TokenKind.Plus ? FeelBinaryOperator.Add : FeelBinaryOperator.Subtract;
                var right = Multiplicative();
                left = new FeelBinary(op, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            return left;
        }

        private FeelExpression Multiplicative()
        {
            var left = Power();
            while (At(TokenKind.Star) || At(TokenKind.Slash))
            {
                var op = Advance().Kind == TokenKind.Star ? FeelBinaryOperator.Multiply : FeelBinaryOperator.Divide;
                var right = Power();
                left = new FeelBinary(op, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            return left;
        }

        private FeelExpression Power()
        {
            var left = Unary();
            while (At(TokenKind.StarStar))
            {
                Advance();
                var right = Unary();
                left = new FeelBinary(FeelBinaryOperator.Power, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            return left;
        }

        private FeelExpression Unary()
        {
            if (!At(TokenKind.Minus))
            {
                return Primary();
            }

            var minus = Advance();
            Enter();
            var operand = Unary();
            _depth--;
            var span = TextSpan.FromBounds(minus.Start, operand.Span.End);
            return operand switch
            {
                // Folding keeps "-5" a literal, which range analysis and output priorities rely on.
                FeelLiteral { Value: decimal number } => new FeelLiteral(-number, span),
                FeelLiteral { Value: TimeSpan duration } when duration != TimeSpan.MinValue => new FeelLiteral(duration.Negate(), span),
                FeelLiteral { Value: TimeSpan } => throw new FeelSyntaxException("The duration is too large to negate.", span.Start, span.Length),
                FeelLiteral { Value: YearsMonthsDuration months } => new FeelLiteral(new YearsMonthsDuration(-months.TotalMonths), span),
                _ => new FeelNegation(operand, span),
            };
        }

        private FeelExpression Primary()
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Number:
                    Advance();
                    return new FeelLiteral(token.Number, Span(token));
                case TokenKind.String:
                    Advance();
                    return new FeelLiteral(token.Text, Span(token));
                case TokenKind.Temporal:
                    Advance();
                    return new FeelLiteral(ParseTemporalLiteral(token), Span(token));
                case TokenKind.True:
                    Advance();
                    return new FeelLiteral(true, Span(token));
                case TokenKind.False:
                    Advance();
                    return new FeelLiteral(false, Span(token));
                case TokenKind.Null:
                    Advance();
                    return new FeelLiteral(null, Span(token));
                case TokenKind.Name:
                    return Postfix(NameReference());
                case TokenKind.Function:
                    return Postfix(FunctionCall());
                case TokenKind.Question:
                    Advance();
                    return new FeelInputValue(Span(token));
                case TokenKind.LeftBracket:
                    return Postfix(ListLiteral());
                case TokenKind.LeftBrace:
                    return Postfix(ContextLiteral());
                case TokenKind.Not when Peek().Kind == TokenKind.LeftParen:
                {
                    Advance();
                    Advance();
                    var operand = Expression();
                    var close = Expect(TokenKind.RightParen, "')' to close not(");
                    return new FeelNot(operand, TextSpan.FromBounds(token.Start, close.End));
                }

                case TokenKind.LeftParen:
                {
                    Advance();
                    var inner = Expression();
                    Expect(TokenKind.RightParen, "')'");
                    return Postfix(inner);
                }

                default:
                    throw Unexpected("a value (number, \"string\", true, false, null, a name or date(...))");
            }
        }

        private FeelExpression NameReference()
        {
            var token = Advance();
            var name = token.Text!;
            if (At(TokenKind.LeftParen))
            {
                // A built-in function or a business knowledge model; the compiler checks that it exists.
                return Call(name, token.Start);
            }

            if (names.IsStrict && !names.Contains(name) && !_locals.Contains(name) && _filterDepth == 0 && name != "item")
            {
                var suggestion = names.Suggest(name);
                var message = name switch
                {
                    _ when suggestion is not null => $"Unknown name '{name}'. Did you mean '{suggestion}'?",
                    _ => names.Names.Count == 0
                        ? $"Unknown name '{name}'; strings need double quotes, e.g. \"{name}\"."
                        : $"Unknown name '{name}'; known names are {string.Join(", ", names.Names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"))}. Strings need double quotes, e.g. \"{name}\".",
                };
                throw new FeelSyntaxException(message, token.Start, token.Length);
            }

            return new FeelName(name, Span(token));
        }

        private FeelExpression FunctionCall()
        {
            var function = Advance();
            var call = Call(function.Text!, function.Start);
            if (call.Arguments.Count == 1 && call.ArgumentNames.Count == 0 && call.Arguments[0] is FeelLiteral { Value: string literal } argument)
            {
                return new FeelLiteral(ConvertLiteral(function.Text!, literal, argument.Span), call.Span);
            }

            return call;
        }

        /// <summary>Reads "(a, b)" or "(p: a, q: b)" after a function's name.</summary>
        private FeelFunctionCall Call(string function, int start)
        {
            Expect(TokenKind.LeftParen, "'('");
            var arguments = new List<FeelExpression>();
            var argumentNames = new List<string>();
            if (!At(TokenKind.RightParen))
            {
                do
                {
                    if (At(TokenKind.Name) && Peek().Kind == TokenKind.Colon)
                    {
                        argumentNames.Add(Advance().Text!);
                        Advance();
                    }
                    else if (argumentNames.Count > 0)
                    {
                        throw Unexpected("a named argument (name: value): arguments are either all named or all positional");
                    }

                    arguments.Add(Expression());
                }
                while (Accept(TokenKind.Comma));

                if (argumentNames.Count > 0 && argumentNames.Count != arguments.Count)
                {
                    throw new FeelSyntaxException("Arguments are either all named (name: value) or all positional.", start, Current.End - start);
                }
            }

            var close = Expect(TokenKind.RightParen, $"')' to close {function}(");
            return new FeelFunctionCall(function, [.. arguments], TextSpan.FromBounds(start, close.End)) { ArgumentNames = [.. argumentNames] };
        }

        /// <summary>Paths and filters after a value: Applicant.address.country, Employees[dept = 10].name, list[1].</summary>
        private FeelExpression Postfix(FeelExpression target)
        {
            while (true)
            {
                if (At(TokenKind.Dot))
                {
                    Advance();
                    if (!At(TokenKind.Name) && !At(TokenKind.Function))
                    {
                        throw Unexpected("a component name after '.'");
                    }

                    var member = Advance();
                    target = new FeelPath(target, member.Text!, TextSpan.FromBounds(target.Span.Start, member.End));
                    continue;
                }

                if (At(TokenKind.LeftBracket) && !_rangeEnd)
                {
                    Advance();
                    Enter();
                    _filterDepth++;
                    var condition = Expression();
                    _filterDepth--;
                    _depth--;
                    var close = Expect(TokenKind.RightBracket, "']' to close the filter");
                    target = new FeelFilter(target, condition, TextSpan.FromBounds(target.Span.Start, close.End));
                    continue;
                }

                return target;
            }
        }

        private FeelListLiteral ListLiteral()
        {
            var open = Advance();
            var items = new List<FeelExpression>();
            if (!At(TokenKind.RightBracket))
            {
                do
                {
                    items.Add(Expression());
                    if (At(TokenKind.DotDot))
                    {
                        throw new FeelSyntaxException("A range such as [1..5] is a test, not a value; use it after 'in' (x in [1..5]) or in an input entry.",
                            open.Start, Current.End - open.Start);
                    }
                }
                while (Accept(TokenKind.Comma));
            }

            var close = Expect(TokenKind.RightBracket, "']' to close the list");
            return new FeelListLiteral([.. items], TextSpan.FromBounds(open.Start, close.End));
        }

        private FeelContextLiteral ContextLiteral()
        {
            var open = Advance();
            var entries = new List<FeelContextEntry>();
            var declared = _locals.Count;
            if (!At(TokenKind.RightBrace))
            {
                do
                {
                    var key = Current.Kind switch
                    {
                        TokenKind.Name or TokenKind.Function => Current.Text!,
                        TokenKind.String => Current.Text!,
                        _ => throw Unexpected("an entry name"),
                    };
                    Advance();
                    Expect(TokenKind.Colon, $"':' after the entry name {key}");
                    var value = Expression();
                    if (entries.Exists(e => e.Key == key))
                    {
                        throw new FeelSyntaxException($"The context has two entries named '{key}'.", value.Span.Start, value.Span.Length);
                    }

                    entries.Add(new FeelContextEntry(key, value));
                    _locals.Add(key);
                }
                while (Accept(TokenKind.Comma));
            }

            _locals.RemoveRange(declared, _locals.Count - declared);
            var close = Expect(TokenKind.RightBrace, "'}' to close the context");
            return new FeelContextLiteral([.. entries], TextSpan.FromBounds(open.Start, close.End));
        }

        private static object ConvertLiteral(string function, string literal, TextSpan at)
        {
            var error = FeelConversions.TryConvert(function, literal, out var value);
            return error is null ? value! : throw new FeelSyntaxException(error, at.Start, at.Length);
        }

        private static object ParseTemporalLiteral(Token token)
        {
            var literal = token.Text!;
            var function = literal.StartsWith('P') || literal.StartsWith("-P", StringComparison.Ordinal) ? "duration"
                : literal.Contains('T', StringComparison.Ordinal) ? FeelLexer.DateAndTime
                : literal.Contains(':', StringComparison.Ordinal) ? "time"
                : "date";
            return ConvertLiteral(function, literal, new TextSpan(token.Start, token.Length));
        }

        private static TextSpan Span(Token token) => new(token.Start, token.Length);
    }
}

/// <summary>The conversion functions S-FEEL needs: date, time, date and time, duration.</summary>
internal static class FeelConversions
{
    /// <summary>Returns null on success, otherwise a message saying what the text should look like.</summary>
    public static string? TryConvert(string function, string text, out object? value)
    {
        value = null;
        switch (function)
        {
            case "date":
                if (FeelTemporal.TryParseDate(text, out var date))
                {
                    value = date;
                    return null;
                }

                return $"'{text}' is not a date; write it as yyyy-MM-dd, e.g. date(\"2026-01-31\").";
            case FeelLexer.DateAndTime:
                if (FeelTemporal.TryParseDateTime(text, out var dateTime))
                {
                    value = dateTime;
                    return null;
                }

                return $"'{text}' is not a date and time; write it as yyyy-MM-ddTHH:mm:ss with an optional Z or offset, e.g. date and time(\"2026-01-31T09:30:00Z\").";
            case "time":
                if (FeelTemporal.TryParseTime(text, out var time))
                {
                    value = time;
                    return null;
                }

                return $"'{text}' is not a time; write it as HH:mm:ss, e.g. time(\"09:30:00\").";
            case "duration":
                return FeelTemporal.TryParseDuration(text, out value, out var error) ? null : error;
            default:
                return $"Unknown function '{function}'.";
        }
    }
}
