using System.Text;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>Collects a rendered part and stops the render when it grows past the limit.</summary>
internal sealed class LimitedWriter(int maxChars, int initialCapacity) : TextWriter
{
    private readonly StringBuilder _text = new(initialCapacity);

    public override Encoding Encoding => Encoding.UTF8;

    public int Length => _text.Length;

    public override void Write(char value)
    {
        Ensure(1);
        _text.Append(value);
    }

    public override void Write(string? value)
    {
        if (value is null)
            return;
        Ensure(value.Length);
        _text.Append(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Ensure(count);
        _text.Append(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Ensure(buffer.Length);
        _text.Append(buffer);
    }

    public override string ToString() => _text.ToString();

    private void Ensure(int more)
    {
        if (_text.Length + more > maxChars)
            throw new TemplateLimitException($"the rendered text would be longer than {maxChars:N0} characters");
    }
}
