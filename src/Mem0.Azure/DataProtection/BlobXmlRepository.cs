using System.Net;
using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Mem0.Azure.DataProtection;

/// <summary>
/// A Data Protection key ring in one block blob, shared by every instance of the app. The served NuGet feed has no
/// Azure.Extensions.AspNetCore.DataProtection.Blobs, so this is the small equivalent: the blob holds a
/// <c>&lt;repository&gt;</c> element with one child per key; adding a key is a read-modify-write guarded by the blob's
/// ETag and retried on a conflict, so two instances creating keys at once both keep theirs.
/// </summary>
public sealed class BlobXmlRepository : IXmlRepository
{
    private const int MaxConflictRetries = 10;
    private const string RootName = "repository";

    private readonly BlobClient _blob;

    public BlobXmlRepository(BlobClient blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        _blob = blob;
    }

    // IXmlRepository is synchronous; the key manager calls it rarely (start-up, key rotation) and caches the ring.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        Read().Document.Root?.Elements().Select(e => new XElement(e)).ToList() ?? [];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        for (var attempt = 1; ; attempt++)
        {
            var (document, etag) = Read();
            document.Root!.Add(new XElement(element));
            var conditions = etag is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                _blob.Upload(
                    BinaryData.FromString(document.ToString(SaveOptions.DisableFormatting)),
                    new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/xml" } });
                return;
            }
            catch (RequestFailedException ex) when (IsConflict(ex) && attempt < MaxConflictRetries)
            {
                // Another instance wrote a key meanwhile: re-read and add ours to its version.
            }
        }
    }

    private (XDocument Document, ETag? ETag) Read()
    {
        try
        {
            var content = _blob.DownloadContent().Value;
            return (XDocument.Parse(content.Content.ToString()), content.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return (new XDocument(new XElement(RootName)), null);
        }
    }

    private static bool IsConflict(RequestFailedException ex) =>
        ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict;
}
