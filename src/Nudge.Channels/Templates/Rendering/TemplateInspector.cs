using Fluid.Ast;
using Fluid.Parser;
using Nudge.Channels.Templates.Blocks;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>Lists what a parsed template refers to: filters, partials, layouts, dynamic blocks, product feeds and segments.</summary>
internal sealed class TemplateInspector : AstVisitor
{
    public List<string> Filters { get; } = [];

    /// <summary>Each filter use with its number of positional arguments.</summary>
    public List<(string Name, int Arguments)> FilterUses { get; } = [];

    public List<string> Partials { get; } = [];

    public List<string> Layouts { get; } = [];

    /// <summary>Each dynamic block (<c>product_grid</c>, <c>coupon_block</c>) with its arguments.</summary>
    public List<(string Tag, IReadOnlyList<FilterArgument> Arguments)> Blocks { get; } = [];

    /// <summary>Names read as <c>products.&lt;name&gt;</c>.</summary>
    public List<string> Feeds { get; } = [];

    /// <summary>Segment names or ids read as <c>segments["name"]</c> or <c>segments.name</c>.</summary>
    public List<string> Segments { get; } = [];

    /// <summary>Variables the template sets itself (assign, capture, for): a <c>products</c> of its own is not the feeds.</summary>
    public HashSet<string> Assigned { get; } = new(StringComparer.Ordinal);

    /// <summary>An include whose partial name is computed while rendering, so it cannot be checked now.</summary>
    public bool DynamicInclude { get; private set; }

    protected override Expression VisitFilterExpression(FilterExpression filterExpression)
    {
        Filters.Add(filterExpression.Name);
        FilterUses.Add((filterExpression.Name, filterExpression.Parameters.Count(p => string.IsNullOrEmpty(p.Name))));
        return base.VisitFilterExpression(filterExpression);
    }

    protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
    {
        if (includeStatement.Path is LiteralExpression literal)
            Partials.Add(literal.Value.ToStringValue());
        else
            DynamicInclude = true;
        return base.VisitIncludeStatement(includeStatement);
    }

    protected override Statement VisitRenderStatement(RenderStatement renderStatement)
    {
        Partials.Add(renderStatement.Path);
        return base.VisitRenderStatement(renderStatement);
    }

    protected override Statement VisitParserTagStatement<T>(ParserTagStatement<T> parserTagStatement)
    {
        if (parserTagStatement.TagName == TemplateEngine.LayoutTag && parserTagStatement.Value is LiteralExpression literal)
            Layouts.Add(literal.Value.ToStringValue());
        if (parserTagStatement.TagName is ProductGrid.Tag or CouponBlock.Tag)
        {
            var arguments = parserTagStatement.Value as IReadOnlyList<FilterArgument> ?? [];
            Blocks.Add((parserTagStatement.TagName, arguments));
            foreach (var argument in arguments)
                Visit(argument.Expression);
        }
        return base.VisitParserTagStatement(parserTagStatement);
    }

    protected override Expression VisitMemberExpression(MemberExpression memberExpression)
    {
        var segments = memberExpression.Segments;
        if (segments.Count > 1 && segments[0] is IdentifierSegment { Identifier: var root } && Name(segments[1]) is { } name)
        {
            if (root == "products")
                Feeds.Add(name);
            else if (root == "segments")
                Segments.Add(name);
        }
        foreach (var indexer in segments.OfType<IndexerSegment>())
            Visit(indexer.Expression);
        return base.VisitMemberExpression(memberExpression);
    }

    protected override Statement VisitAssignStatement(AssignStatement assignStatement)
    {
        Assigned.Add(assignStatement.Identifier);
        return base.VisitAssignStatement(assignStatement);
    }

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
    {
        Assigned.Add(captureStatement.Identifier);
        return base.VisitCaptureStatement(captureStatement);
    }

    protected override Statement VisitForStatement(ForStatement forStatement)
    {
        Assigned.Add(forStatement.Identifier);
        return base.VisitForStatement(forStatement);
    }

    private static string? Name(MemberSegment segment) => segment switch
    {
        IdentifierSegment identifier => identifier.Identifier,
        IndexerSegment { Expression: LiteralExpression { Value.Type: Fluid.Values.FluidValues.String } literal } => literal.Value.ToStringValue(),
        _ => null,
    };
}
