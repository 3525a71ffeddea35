using System.IO.Compression;

namespace Nudge.Server.Ingestion;

/// <summary>Reads a tracking request body, gzip or not, refusing anything over the batch limit.</summary>
internal static class RequestBody
{
    /// <summary>Segment's limit for one request (uncompressed).</summary>
    public const int MaxBatchBytes = 500 * 1024;

    /// <summary>Segment's limit for one event.</summary>
    public const int MaxEventBytes = 32 * 1024;

    /// <summary>The body bytes, or null when it is larger than <see cref="MaxBatchBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBatchBytes)
            return null;

        var encoding = request.Headers.ContentEncoding.ToString();
        Stream source = encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true)
            : encoding.Contains("deflate", StringComparison.OrdinalIgnoreCase)
                ? new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true)
                : request.Body;

        await using (source)
        {
            var compressed = source != request.Body;
            var initial = !compressed && request.ContentLength is > 0 and var n ? (int)n + 1 : 64 * 1024;
            var buffer = new byte[Math.Min(MaxBatchBytes + 1, initial)];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > MaxBatchBytes)
                        return null;
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBatchBytes + 1));
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                    break;
                length += read;
                if (length > MaxBatchBytes)
                    return null;
            }

            return buffer.AsMemory(0, length);
        }
    }
}
