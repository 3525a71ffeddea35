using Fluid.Ast;
using Fluid.Parser;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>Lists what a parsed template refers to: filters, partials and layouts.</summary>
internal sealed class TemplateInspector : AstVisitor
{
    public List<string> Filters { get; } = [];

    /// <summary>Each filter use with its number of positional arguments.</summary>
    public List<(string Name, int Arguments)> FilterUses { get; } = [];

    public List<string> Partials { get; } = [];

    public List<string> Layouts { get; } = [];

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
        return base.VisitParserTagStatement(parserTagStatement);
    }
}
