using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace LlmCache.Generators;

/// <summary>
/// A small indented text writer: the emitter writes code as text, not syntax factories. An interpolated line is
/// written straight into the text, with no string of its own; the text's buffer is reused by the next file the
/// thread writes (it holds no text between files, so nothing of one compilation reaches another).
/// </summary>
internal sealed class IndentedWriter : IDisposable
{
    // Buffers above this many characters are not kept: a generated file is a few thousand.
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? s_spare;

    private StringBuilder? _text;
    private int _indent;
    private int _lineStart;

    public IndentedWriter()
    {
        _text = s_spare ?? new StringBuilder(8 * 1024);
        s_spare = null;
    }

    private StringBuilder Text => _text ?? throw new ObjectDisposedException(nameof(IndentedWriter));

    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            Text.Append(' ', _indent * 4);
        }

        Text.Append(line).Append('\n');
        return this;
    }

    /// <summary>An interpolated line: its parts are appended where the line goes.</summary>
    public IndentedWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        EndLine();
        return this;
    }

    public IndentedWriter Open(string line)
    {
        Line(line);
        return OpenBlock();
    }

    public IndentedWriter Open([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        EndLine();
        return OpenBlock();
    }

    public IndentedWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => Text.ToString();

    public void Dispose()
    {
        if (_text is { } text && text.Capacity <= MaxKeptCapacity)
        {
            text.Clear();
            s_spare = text;
        }

        _text = null;
    }

    private IndentedWriter OpenBlock()
    {
        Line("{");
        _indent++;
        return this;
    }

    // The indent is written before the line's parts; a line that turns out empty gets none, as Line(string) does.
    private StringBuilder BeginLine()
    {
        StringBuilder text = Text;
        _lineStart = text.Length;
        text.Append(' ', _indent * 4);
        return text;
    }

    private void EndLine()
    {
        StringBuilder text = Text;
        if (text.Length == _lineStart + _indent * 4)
        {
            text.Length = _lineStart;
        }

        text.Append('\n');
    }

    /// <summary>Appends an interpolated line's parts to the writer's text, formatted as string interpolation formats them.</summary>
    [InterpolatedStringHandler]
    internal readonly struct LineHandler
    {
        private readonly StringBuilder _text;

        public LineHandler(int literalLength, int formattedCount, IndentedWriter writer) => _text = writer.BeginLine();

        public void AppendLiteral(string value) => _text.Append(value);

        public void AppendFormatted(string? value) => _text.Append(value);

        // As string.Format does: IFormattable in the current culture, anything else by its ToString().
        public void AppendFormatted<T>(T value) => _text.Append(value is IFormattable formattable ? formattable.ToString(null, null) : value?.ToString());
    }
}
