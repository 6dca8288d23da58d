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

            if (token.Kind is TokenKind.LeftBracket or TokenKind.RightBracket)
            {
                return Range();
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
            var high = Additive();
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
                    throw new FeelSyntaxException("An expression has a single value; lists are not supported in S-FEEL.", Current.Start, Current.Length);
                }

                throw Unexpected("an operator or the end of the expression");
            }

            return expression;
        }

        private FeelExpression Expression()
        {
            Enter();
            var expression = Disjunction();
            _depth--;
            return expression;
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
            if (op is not { } comparison)
            {
                return left;
            }

            Advance();
            var right = Additive();
            return new FeelBinary(comparison, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
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
                    return NameReference();
                case TokenKind.Function:
                    return FunctionCall();
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
                    return inner;
                }

                case TokenKind.LeftBracket:
                    throw new FeelSyntaxException("Lists and ranges are not values in S-FEEL expressions.", token.Start, token.Length);
                default:
                    throw Unexpected("a value (number, \"string\", true, false, null, a name or date(...))");
            }
        }

        private FeelName NameReference()
        {
            var token = Advance();
            var name = token.Text!;
            if (names.IsStrict && !names.Contains(name))
            {
                var suggestion = names.Suggest(name);
                var message = name switch
                {
                    _ when At(TokenKind.LeftParen) => $"Unknown function '{name}'; S-FEEL supports date, time, date and time, duration and not.",
                    _ when suggestion is not null => $"Unknown name '{name}'. Did you mean '{suggestion}'?",
                    _ => names.Names.Count == 0
                        ? $"Unknown name '{name}'; strings need double quotes, e.g. \"{name}\"."
                        : $"Unknown name '{name}'; known names are {string.Join(", ", names.Names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"))}. Strings need double quotes, e.g. \"{name}\".",
                };
                throw new FeelSyntaxException(message, token.Start, token.Length);
            }

            if (At(TokenKind.LeftParen))
            {
                throw new FeelSyntaxException($"Unknown function '{name}'; S-FEEL supports date, time, date and time, duration and not.", token.Start, token.Length);
            }

            return new FeelName(name, Span(token));
        }

        private FeelExpression FunctionCall()
        {
            var function = Advance();
            Expect(TokenKind.LeftParen, "'('");
            var argument = Expression();
            if (At(TokenKind.Comma))
            {
                throw new FeelSyntaxException($"{function.Text}(...) takes a single string argument here.", Current.Start, Current.Length);
            }

            var close = Expect(TokenKind.RightParen, $"')' to close {function.Text}(");
            var span = TextSpan.FromBounds(function.Start, close.End);
            if (argument is FeelLiteral { Value: string literal })
            {
                return new FeelLiteral(ConvertLiteral(function.Text!, literal, argument.Span), span);
            }

            return new FeelFunctionCall(function.Text!, [argument], span);
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
