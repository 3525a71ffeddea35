using Fluid.Ast;
using Fluid.Values;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// Turns a parsed template into the form Nudge renders: variables written out report when they are missing,
/// ranges have a ceiling, and partial names point into the template's own partial library.
/// </summary>
internal sealed class NudgeRewriter(string? libraryKey, TemplateLimits limits) : AstRewriter
{
    /// <summary>The path prefix of partials in a library: <c>{key}/{name}</c>.</summary>
    public static string PathIn(string libraryKey, string name) => libraryKey + "/" + name;

    protected override Statement VisitOutputStatement(OutputStatement outputStatement)
    {
        var rewritten = (OutputStatement)base.VisitOutputStatement(outputStatement);
        var tracked = Track(rewritten.Expression);
        return ReferenceEquals(tracked, rewritten.Expression) ? rewritten : new OutputStatement(tracked);
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

    /// <summary>An include's partial name, looked up in the template's library.</summary>
    private sealed class LibraryPathExpression(Expression name, string libraryKey) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(Fluid.TemplateContext context) =>
            new StringValue(PathIn(libraryKey, (await name.EvaluateAsync(context)).ToStringValue()));
    }
}
