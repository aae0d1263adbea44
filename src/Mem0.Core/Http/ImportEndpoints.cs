using Mem0.Core.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mem0.Core.Http;

/// <summary>
/// <c>POST /v1/memories/import/</c> (ours, beyond the platform): a JSON array of memories — or <c>{"items": [...], "infer": false}</c> —
/// streamed into the payload store and imported by one job. Answers <c>{"event_id","status":"PENDING","total"}</c>.
/// </summary>
public static class ImportEndpoints
{
    public static Task<IResult> ImportAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var maxBytes = services.Imports.MaxImportBytes;

            // This route alone takes large bodies: lift the server's limit, and enforce ours while streaming.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }

            if (request.ContentLength is { } declared && declared > maxBytes)
            {
                throw new PayloadTooLargeException(maxBytes);
            }

            bool? infer = RequestParsing.Query(request, "infer") is { } flag
                ? bool.TryParse(flag, out var parsed) ? parsed : throw new ValidationException("infer", "'infer' must be true or false.")
                : null;
            await using var body = new CappedReadStream(request.Body, maxBytes);
            var (memoryEvent, staged) = await services.Imports.StartAsync(caller.ProjectId, body, infer, ct);
            return EndpointRunner.Json(new ImportQueuedDto(memoryEvent.Id, "PENDING", staged.Total, staged.Infer));
        });

    /// <summary>A read-only view of the body that throws <see cref="PayloadTooLargeException"/> past the limit.</summary>
    private sealed class CappedReadStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new PayloadTooLargeException(maxBytes) : read;
        }
    }
}

public sealed record ImportQueuedDto(string EventId, string Status, int Total, bool Infer);
