namespace Mem0.Core.Common;

/// <summary>The page rules every paged list shares (memories, entities, events), checked by the services that page.</summary>
public static class Paging
{
    /// <summary>The largest page any list serves.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Throws a 400 naming <c>page</c> or <c>page_size</c> when either is out of range.</summary>
    public static void Validate(int page, int pageSize)
    {
        if (page < 1)
        {
            throw new ValidationException("page", "'page' must be 1 or more.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ValidationException("page_size", $"'page_size' must be between 1 and {MaxPageSize}.");
        }
    }

    /// <summary>The "no such page" answer for a page past the end.</summary>
    public static NotFoundException InvalidPage() => new(ResourceKind.Page, "Invalid page.");
}
