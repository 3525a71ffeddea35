using System.Globalization;
using System.Text;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// Collects a rendered part and stops the render when it grows past the limit. A <see cref="StringWriter"/>
/// underneath because Fluid writes through <c>WriteAsync</c>, which a plain <see cref="TextWriter"/> would send
/// to the thread pool for every piece (seven times slower).
/// </summary>
internal sealed class LimitedWriter(int maxChars, StringBuilder buffer) : StringWriter(buffer, CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        Ensure(1);
        base.Write(value);
    }

    public override void Write(string? value)
    {
        if (value is null)
            return;
        Ensure(value.Length);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Ensure(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Ensure(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(StringBuilder? value)
    {
        Ensure(value?.Length ?? 0);
        base.Write(value);
    }

    private void Ensure(int more)
    {
        if (GetStringBuilder().Length + more > maxChars)
            throw new TemplateLimitException($"the rendered text would be longer than {maxChars:N0} characters");
    }
}
