namespace Mem0.Azure.Cosmos;

/// <summary>
/// Splits the writes of one logical partition into transactional batches Cosmos DB accepts: at most 100 operations
/// and at most 2 MB of request payload each. Count alone is not enough: one memory with a 1536-dimension embedding
/// serializes to about 20 KB, so 100 of them reach the size limit first and the whole batch would be refused (413).
/// </summary>
internal static class CosmosBatchPlan
{
    /// <summary>Cosmos DB's limit on operations in one transactional batch.</summary>
    public const int MaxOperations = 100;

    /// <summary>Cosmos DB's limit on one request's payload, which a transactional batch must fit in whole: 2 MB.</summary>
    public const int MaxRequestBytes = 2 * 1024 * 1024;

    /// <summary>
    /// What the documents of one batch may add up to: 2,000,000 bytes (2 MB read as decimal, the stricter reading), less
    /// 10 % for the batch's own framing (per operation: its kind, id, ETag and the length prefixes of the binary body).
    /// </summary>
    public const int PayloadBudgetBytes = 1_800_000;

    /// <summary>Framing counted for each operation on top of its document (a delete has no document at all).</summary>
    public const int PerOperationOverheadBytes = 256;

    /// <summary>
    /// Consecutive chunks, in order, each within <paramref name="maxOperations"/> and <paramref name="budgetBytes"/>
    /// (a single item larger than the budget goes alone: Cosmos DB then reports it as too large, naming it).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<T>> Chunk<T>(
        IReadOnlyList<T> items,
        Func<T, int> sizeInBytes,
        int maxOperations = MaxOperations,
        int budgetBytes = PayloadBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(sizeInBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOperations, 1);

        var chunks = new List<IReadOnlyList<T>>();
        var current = new List<T>();
        long bytes = 0;
        foreach (var item in items)
        {
            var size = (long)sizeInBytes(item) + PerOperationOverheadBytes;
            if (current.Count > 0 && (current.Count == maxOperations || bytes + size > budgetBytes))
            {
                chunks.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(item);
            bytes += size;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }
}
