using Fluid.Ast;
using Fluid.Parser;
using Fluid.Values;
using Nudge.Channels.Templates.Blocks;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// Turns a parsed template into the form Nudge renders: variables written out report when they are missing,
/// ranges have a ceiling, and partial names point into the template's own partial library.
/// </summary>
internal sealed class NudgeRewriter(string? libraryKey, TemplateLimits limits) : AstRewriter
{
    private const string RecommendationsVariable = "recommendations";
    private const string ProductsVariable = "products";

    /// <summary>The path prefix of partials in a library: <c>{key}/{name}</c>.</summary>
    public static string PathIn(string libraryKey, string name) => libraryKey + "/" + name;

    protected override Statement VisitOutputStatement(OutputStatement outputStatement)
    {
        var rewritten = (OutputStatement)base.VisitOutputStatement(outputStatement);
        var tracked = Track(rewritten.Expression);
        return ReferenceEquals(tracked, rewritten.Expression) ? rewritten : new OutputStatement(tracked);
    }

    /// <summary>
    /// <c>recommendations</c> reads <c>products.recommendations</c> unless the data gives (or the template assigns)
    /// its own list, so a send fetches recommendations only for templates that show them.
    /// </summary>
    protected override Expression VisitMemberExpression(MemberExpression memberExpression)
    {
        if (memberExpression.Segments[0] is not IdentifierSegment { Identifier: RecommendationsVariable })
            return memberExpression;
        var feed = new MemberExpression([new IdentifierSegment(ProductsVariable), new IdentifierSegment(ProductFeeds.Recommendations), .. memberExpression.Segments.Skip(1)]);
        return new FallbackMemberExpression(memberExpression, feed);
    }

    /// <summary>The arguments of a dynamic block are expressions like any other (<c>{% product_grid recommendations %}</c>).</summary>
    protected override Statement VisitParserTagStatement<T>(ParserTagStatement<T> parserTagStatement)
    {
        if (parserTagStatement.Value is not IReadOnlyList<FilterArgument> { Count: > 0 } arguments)
            return parserTagStatement;
        IReadOnlyList<FilterArgument> rewritten = [.. arguments.Select(a => new FilterArgument(a.Name, Visit(a.Expression)))];
        return new ParserTagStatement<T>(parserTagStatement.TagName, (T)rewritten, parserTagStatement.Render);
    }

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression) =>
        new BoundedRangeExpression((RangeExpression)base.VisitRangeExpression(rangeExpression), limits.MaxRangeItems);

    protected override Statement VisitAssignStatement(AssignStatement assignStatement)
    {
        var rewritten = (AssignStatement)base.VisitAssignStatement(assignStatement);
        return new AssignStatement(rewritten.Identifier, new BoundedValueExpression(rewritten.Value, rewritten.Identifier, limits.MaxVariableChars));
    }

    protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
    {
        var rewritten = (IncludeStatement)base.VisitIncludeStatement(includeStatement);
        if (libraryKey is null)
            return rewritten;
        return new IncludeStatement(rewritten.Parser, new LibraryPathExpression(rewritten.Path, libraryKey), rewritten.With, rewritten.For,
            rewritten.Alias, rewritten.AssignStatements);
    }

    protected override Statement VisitRenderStatement(RenderStatement renderStatement)
    {
        var rewritten = (RenderStatement)base.VisitRenderStatement(renderStatement);
        if (libraryKey is null)
            return rewritten;
        return new RenderStatement(rewritten.Parser, PathIn(libraryKey, rewritten.Path), rewritten.With, rewritten.For, rewritten.Alias,
            rewritten.AssignStatements);
    }

    /// <summary>
    /// Wraps the variable an output starts from, unless a <c>default</c> filter already says what to write when
    /// it is missing.
    /// </summary>
    private static Expression Track(Expression expression) => expression switch
    {
        MemberExpression member => new TrackedMemberExpression(member, TrackedMemberExpression.PathOf(member)),
        FallbackMemberExpression fallback => new TrackedMemberExpression(fallback, TrackedMemberExpression.PathOf(fallback.Member)),
        FilterExpression { Name: "default" } => expression,
        FilterExpression filter when Track(filter.Input) is var input && !ReferenceEquals(input, filter.Input) =>
            new FilterExpression(input, filter.Name, filter.Parameters),
        _ => expression,
    };

    /// <summary>An assigned value with a ceiling on its length, so a doubling loop cannot take the memory.</summary>
    private sealed class BoundedValueExpression(Expression value, string name, int maxChars) : Expression
    {
        public override ValueTask<FluidValue> EvaluateAsync(Fluid.TemplateContext context)
        {
            var task = value.EvaluateAsync(context);
            return task.IsCompletedSuccessfully ? new ValueTask<FluidValue>(Check(task.Result)) : AwaitedAsync(task);
        }

        private async ValueTask<FluidValue> AwaitedAsync(ValueTask<FluidValue> task) => Check(await task);

        private FluidValue Check(FluidValue result)
        {
            if (result.Type == FluidValues.String && result.ToStringValue().Length > maxChars)
                throw new TemplateLimitException($"'{name}' would hold more than {maxChars:N0} characters");
            return result;
        }
    }

    /// <summary>A variable read from another place when its root variable is not set.</summary>
    private sealed class FallbackMemberExpression(MemberExpression member, MemberExpression fallback) : Expression
    {
        public MemberExpression Member => member;

        public override ValueTask<FluidValue> EvaluateAsync(Fluid.TemplateContext context) =>
            context.GetValue(((IdentifierSegment)member.Segments[0]).Identifier).IsNil() ? fallback.EvaluateAsync(context) : member.EvaluateAsync(context);
    }

    /// <summary>An include's partial name, looked up in the template's library.</summary>
    private sealed class LibraryPathExpression(Expression name, string libraryKey) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(Fluid.TemplateContext context) =>
            new StringValue(PathIn(libraryKey, (await name.EvaluateAsync(context)).ToStringValue()));
    }
}
