package passteam

import "context"

// The sales and products operations. Their REST paths are not public; the library serves them at
// default paths that Config.Endpoints can move.

// GetSale reads a sale.
func (c *Client) GetSale(ctx context.Context, id string) (Sale, error) {
	return result[Sale](ctx, c, "getsale", map[string]string{"id": id})
}

// UpdateSale writes a sale (creating it when the id is new) and returns it as stored.
func (c *Client) UpdateSale(ctx context.Context, sale SaleUpdate) (Sale, error) {
	return result[Sale](ctx, c, "updatesale", sale)
}

// DeleteSale deletes a sale; ErrNotFound when there is none.
func (c *Client) DeleteSale(ctx context.Context, id string) error {
	return c.do(ctx, "deletesale", map[string]string{"id": id}, nil)
}

// CreateProduct adds a product to a company's catalogue. It is never resent automatically.
func (c *Client) CreateProduct(ctx context.Context, companyID, name string, price float64) (Product, error) {
	params := struct {
		CompanyID string  `json:"companyId"`
		Name      string  `json:"name"`
		Price     float64 `json:"price"`
	}{companyID, name, price}
	return result[Product](ctx, c, "createproduct", params)
}

// UpdateProduct changes a product's name or price.
func (c *Client) UpdateProduct(ctx context.Context, update ProductUpdate) (Product, error) {
	return result[Product](ctx, c, "updateproduct", update)
}

// DeleteProduct deletes a product; ErrNotFound when there is none.
func (c *Client) DeleteProduct(ctx context.Context, id string) error {
	return c.do(ctx, "deleteproduct", map[string]string{"id": id}, nil)
}

// ListProducts reads one page of a company's products (page and perPage 0 = the server's default).
func (c *Client) ListProducts(ctx context.Context, companyID string, page, perPage int) (ProductPage, error) {
	params := struct {
		CompanyID string `json:"companyId"`
		Page      int    `json:"page,omitempty"`
		PerPage   int    `json:"perPage,omitempty"`
	}{companyID, page, perPage}
	return result[ProductPage](ctx, c, "listproducts", params)
}
