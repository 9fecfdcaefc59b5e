"""The sentence-transformers backend loads a local folder: here a tiny randomly initialised BERT made in
tmp_path (no download)."""
import numpy as np
import pytest

from assistant import Assistant, Config
from assistant.search.embed import SentenceTransformerEmbedder
from assistant.errors import BadConfig, ModelError

from .conftest import CORPUS


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-st")
    bert_dir = root / "bert"
    bert_dir.mkdir()
    chars = sorted(set((CORPUS / next(p.name for p in CORPUS.glob("*shaanxi*"))).read_text(encoding="utf-8")))[:800]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [c for c in chars if c.strip()] + list("abcdefghij")
    (bert_dir / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(bert_dir / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512)
    BertModel(cfg).save_pretrained(bert_dir)
    tok.save_pretrained(bert_dir)
    word = models.Transformer(str(bert_dir), max_seq_length=128)
    st = SentenceTransformer(modules=[word, models.Pooling(getattr(word, "get_embedding_dimension", None) and word.get_embedding_dimension() or word.get_word_embedding_dimension())], device="cpu")
    out = root / "tiny-st-model"
    st.save(str(out))
    return out


def test_loads_local_folder_and_embeds(tiny_model):
    e = SentenceTransformerEmbedder(str(tiny_model))
    assert e.dim == 32
    m = e.embed_passages(["易地扶贫搬迁", "整改成效"])
    q = e.embed_query("搬迁")
    assert m.shape == (2, 32) and q.shape == (32,)
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0, atol=1e-5)
    assert "tiny-st-model" in e.name


def test_pipeline_with_local_model(tiny_model, tmp_path):
    cfg = Config(corpus_dir=CORPUS, index_dir=tmp_path / "idx", embedding_backend="sentence-transformers",
                 embedding_model=str(tiny_model))
    a = Assistant.load(config=cfg)
    assert a.data.manifest.dim == 32
    ans = a.ask("红石桥乡社会扶贫网注册了多少爱心人士?")
    assert ans.passages


def test_missing_folder_and_config_errors(tmp_path):
    with pytest.raises(ModelError) as e:
        SentenceTransformerEmbedder(str(tmp_path / "nope"))
    assert "nope" in str(e.value)
    with pytest.raises(BadConfig):
        Config(embedding_backend="sentence-transformers")
    with pytest.raises(BadConfig) as e2:
        Config(top_k=0)
    assert "top_k" in str(e2.value) and "0" in str(e2.value)
